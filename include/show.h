/*
 * show: the `conclab show LAB` command (command-line layer): a lab's
 * question, its runs and every parameter of every run with its value,
 * default, allowed values and doc, read from the executors' tables.
 */
#ifndef CONCLAB_SHOW_H
#define CONCLAB_SHOW_H

#include "lab.h"

#include <stdio.h>

/* Describe a parsed lab into f. */
void show_lab(FILE *f, const struct lab *lab);
/* `conclab show LAB` (argv holds LAB): 0, 2 for an unknown or bad lab. */
int show_main(int argc, char **argv);

#endif
