/*
 * progress_cli: `conclab progress` (command-line layer) -- the self-paced
 * path as text: for each lab what it taught (its title and first headline
 * template's wording), whether it was done and the prediction right, and
 * the exercises ("try" lines) to do next.  The menu shows the same tags.
 */
#ifndef CONCLAB_PROGRESS_CLI_H
#define CONCLAB_PROGRESS_CLI_H

#include "config.h"
#include "lab.h"

#include <stdio.h>

/* Write the path over labs[0..n) with the progress p into f. */
void progress_print(FILE *f, const struct lab *labs, int n, const struct progress *p);
/* `conclab progress`: 0, or 2 when no lab is found. */
int progress_main(void);

#endif
