/* conclab progress: what each lab taught, done or not, predictions right,
 * the next lab and the tries. */
#include "testutil.h"

#include "canvas.h"
#include "exec.h"
#include "lab_path.h"
#include "progress_cli.h"
#include "view.h"

START_TEST(path_printed)
{
	char errs[4096], out[65536];
	struct lab *labs;
	struct progress p;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);
	FILE *f = tmpfile();
	size_t len;

	ck_assert_int_ge(n, 3);
	memset(&p, 0, sizeof p);
	progress_record(&p, labs[0].id, labs[0].answer, 1);
	progress_record(&p, labs[2].id, 1, 0);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	ck_assert_msg(strstr(out, "2 of ") == out, "%s", out);
	ck_assert_msg(strstr(out, "1 of 2 predictions right; next: ") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "done, predicted right") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "done, predicted wrong") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "<- next") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "taught: ") != NULL && strstr(out, "teaches: ") != NULL,
	    "%s", out);
	ck_assert_msg(strstr(out, labs[1].title) != NULL, "%s", out);
	if (labs[0].ntries > 0)
		ck_assert_msg(strstr(out, "to try: ") != NULL, "%s", out);
	lab_list_free(labs, n);
}
END_TEST

/* Only the tries not yet done are listed; a try is done when the runs
 * changed what it names (--set KEY, --cpus, --slow). */
START_TEST(tries_done_left_out)
{
	char errs[4096], out[65536], err[256];
	struct lab *labs;
	struct progress p;
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), sf = -1;
	FILE *f = tmpfile();
	size_t len;
	unsigned tried = 0;

	for (int i = 0; i < n; i++)
		if (strcmp(labs[i].id, "sleep-vs-fib") == 0)
			sf = i;
	ck_assert_int_ge(sf, 0);
	ck_assert_int_eq(labs[sf].ntries, 3);	/* tasks=8, --cpus 0, duration_ms=500 */
	ck_assert_int_eq(lab_set(&labs[sf], "tasks=8", err, sizeof err), 0);
	for (int t = 0; t < labs[sf].ntries; t++)
		if (lab_try_done(&labs[sf], t, false, false))
			tried |= 1u << t;
	ck_assert_uint_eq(tried, 1);
	ck_assert(lab_try_done(&labs[sf], 1, true, false));	/* --cpus */
	ck_assert(!lab_try_done(&labs[sf], 2, true, true));
	memset(&p, 0, sizeof p);
	progress_record(&p, "sleep-vs-fib", 2, 1);
	progress_add_tries(&p, "sleep-vs-fib", tried | 1u << 1);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	ck_assert_msg(strstr(out, "tasks to 8") == NULL, "%s", out);
	ck_assert_msg(strstr(out, "Pin the lab to one core") == NULL ||
	    strstr(out, "Pin the lab to one core") > strstr(out, "\ngil "), "%s", out);
	ck_assert_msg(strstr(out, "Halve the work") != NULL, "%s", out);
	ck_assert_msg(strstr(out, "tries done: 2 of 3") != NULL, "%s", out);
	lab_list_free(labs, n);
}
END_TEST

/* Every lab done: all done, and each lab's lines say what it taught, the
 * prediction and only the tries not yet done. */
START_TEST(path_lines_after_the_last_lab)
{
	char errs[4096], summary[256];
	struct lab *labs;
	struct progress p;
	struct lab_path_line lines[LAB_PATH_MAX_LINES];
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), k, sf = -1;

	memset(&p, 0, sizeof p);
	for (int i = 0; i < n; i++) {
		progress_record(&p, labs[i].id, 1, labs[i].answer == 1);
		if (strcmp(labs[i].id, "sleep-vs-fib") == 0)
			sf = i;
	}
	ck_assert_int_ge(sf, 0);
	progress_add_tries(&p, "sleep-vs-fib", 1u << 1);	/* --cpus done */
	ck_assert_int_eq(lab_path_summary(labs, n, &p, summary, sizeof summary), -1);
	ck_assert_msg(strstr(summary, "labs done; ") != NULL &&
	    strstr(summary, "; all done") != NULL, "%s", summary);
	k = lab_path_lines(&labs[sf], &p, false, lines);
	ck_assert_int_eq(k, 1 + 1 + labs[sf].ntries - 1 + 1);
	ck_assert_int_eq(lines[0].kind, LAB_PATH_HEAD);
	ck_assert_msg(strstr(lines[0].text, "sleep-vs-fib   done, predicted ") == lines[0].text,
	    "%s", lines[0].text);
	ck_assert_str_eq(lines[1].text + strlen("taught: "), labs[sf].title);
	for (int i = 2; i < k - 1; i++) {
		ck_assert_int_eq(lines[i].kind, LAB_PATH_TRY);
		ck_assert_msg(strstr(lines[i].text, "to try: ") == lines[i].text, "%s",
		    lines[i].text);
		ck_assert_ptr_null(strstr(lines[i].text, "--cpus"));	/* done */
		ck_assert_ptr_null(strchr(lines[i].text, '\n'));
	}
	ck_assert_str_eq(lines[k - 1].text, "tries done: 1 of 3");
	/* not done: what it teaches, then the tries; the next one marked */
	memset(&p, 0, sizeof p);
	k = lab_path_lines(&labs[sf], &p, true, lines);
	ck_assert_int_eq(k, 2 + labs[sf].ntries);
	ck_assert_msg(strstr(lines[0].text, "not yet  <- next") != NULL, "%s", lines[0].text);
	ck_assert_msg(strstr(lines[1].text, "teaches: ") == lines[1].text, "%s", lines[1].text);
	ck_assert_msg(strstr(lines[2].text, "then try: ") == lines[2].text, "%s", lines[2].text);
	lab_list_free(labs, n);
}
END_TEST

/* text with each run of spaces and line breaks made one space (a caller
 * frees it): a wrapped text and the line it wraps compare equal. */
static char *
squash(const char *text)
{
	char *out = calloc(1, strlen(text) + 1);
	size_t l = 0;

	for (const char *s = text; *s != '\0'; s++)
		if (*s != ' ' && *s != '\n')
			out[l++] = *s;
		else if (l > 0 && out[l - 1] != ' ')
			out[l++] = ' ';
	return out;
}

/* The menu after the last lab and `conclab progress` say the same: the
 * summary, and the selected lab's lines (its tries not yet done). */
START_TEST(menu_and_progress_agree)
{
	char errs[4096], out[65536], summary[256];
	struct lab *labs;
	struct progress p;
	struct lab_path_line lines[LAB_PATH_MAX_LINES];
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs), sel = -1, k;
	struct canvas *c = canvas_create(80, 24, false);
	char *screen, *menu, *cli;
	FILE *f = tmpfile();
	size_t len;

	memset(&p, 0, sizeof p);
	for (int i = 0; i < n; i++) {
		progress_record(&p, labs[i].id, 1, 0);
		if (strcmp(labs[i].id, "gil") == 0)
			sel = i;
	}
	ck_assert_int_ge(sel, 0);
	progress_add_tries(&p, "gil", 1u << 0);	/* slow motion done */
	view_menu(c, labs, n, sel, &p, NULL);
	screen = canvas_to_string(c);
	menu = squash(screen);
	lab_path_summary(labs, n, &p, summary, sizeof summary);
	ck_assert_msg(strstr(screen, summary) != NULL, "%s\n%s", summary, screen);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	fclose(f);
	cli = squash(out);
	ck_assert_msg(strstr(out, summary) == out, "%s", out);
	k = lab_path_lines(&labs[sel], &p, false, lines);
	ck_assert_int_ge(k, 4);	/* head, taught, two tries left, tries done */
	for (int i = 0; i < k; i++) {
		char *want = squash(lines[i].text);

		if (i > 0)	/* the head is the list's row */
			ck_assert_msg(strstr(menu, want) != NULL, "menu lacks: %s\n%s", want,
			    screen);
		ck_assert_msg(strstr(cli, want) != NULL, "progress lacks: %s\n%s", want, out);
		free(want);
	}
	ck_assert_ptr_null(strstr(menu, "Slow motion"));	/* the try done */
	ck_assert_ptr_nonnull(strstr(menu, "to try: Pin the lab to one core"));
	free(menu);
	free(cli);
	free(screen);
	canvas_destroy(c);
	lab_list_free(labs, n);
}
END_TEST

/* walk3.md 4: a lab whose run did not show its lesson is done, the
 * prediction judged on the answer, but not "taught": the path says the
 * lesson did not show and to run it again; the record keeps it ("unshown"),
 * and once a run showed it, it stays shown. */
START_TEST(not_shown_is_not_taught)
{
	char errs[4096], out[65536], tag[64];
	struct lab *labs;
	struct progress p, back;
	struct lab_path_line lines[LAB_PATH_MAX_LINES];
	int n = lab_load_all(exec_info, &labs, errs, sizeof errs);
	FILE *f = tmpfile();
	size_t len;

	ck_assert_int_ge(n, 1);
	memset(&p, 0, sizeof p);
	progress_record(&p, labs[0].id, labs[0].answer, 1);
	progress_set_shown(&p, labs[0].id, -1);	/* not judged: changes nothing */
	ck_assert_int_eq(progress_get(&p, labs[0].id)->shown, -1);
	progress_set_shown(&p, labs[0].id, 0);
	ck_assert_str_eq(lab_path_status(&labs[0], &p),
	    "done, predicted right; the lesson did not show on your run");
	lab_path_lines(&labs[0], &p, false, lines);
	ck_assert_msg(strstr(lines[1].text, "not shown yet: ") == lines[1].text, "%s",
	    lines[1].text);
	ck_assert_msg(strstr(lines[1].text, "run it again") != NULL, "%s", lines[1].text);
	progress_print(f, labs, n, &p);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	ck_assert_ptr_null(strstr(out, "taught: "));
	/* the record: written and read back */
	rewind(f);
	ck_assert_int_eq(ftruncate(fileno(f), 0), 0);
	progress_write(f, &p);
	fflush(f);
	rewind(f);
	len = fread(out, 1, sizeof out - 1, f);
	out[len] = '\0';
	snprintf(tag, sizeof tag, "%s done %d right unshown\n", labs[0].id, labs[0].answer);
	ck_assert_msg(strstr(out, tag) != NULL, "%s", out);
	rewind(f);
	ck_assert_int_eq(progress_parse(f, "p", &back, NULL, 0), 0);
	ck_assert_int_eq(progress_get(&back, labs[0].id)->shown, 0);
	ck_assert_int_eq(progress_get(&back, labs[0].id)->correct, 1);
	/* shown once: stays shown */
	progress_set_shown(&p, labs[0].id, 1);
	progress_set_shown(&p, labs[0].id, 0);
	ck_assert_str_eq(lab_path_status(&labs[0], &p), "done, predicted right");
	lab_path_lines(&labs[0], &p, false, lines);
	ck_assert_msg(strstr(lines[1].text, "taught: ") == lines[1].text, "%s", lines[1].text);
	fclose(f);
	lab_list_free(labs, n);
}
END_TEST

static Suite *
progress_cli_suite(void)
{
	Suite *s = suite_create("progress_cli");
	TCase *tc = tcase_create("progress_cli");

	tcase_add_test(tc, path_printed);
	tcase_add_test(tc, tries_done_left_out);
	tcase_add_test(tc, path_lines_after_the_last_lab);
	tcase_add_test(tc, menu_and_progress_agree);
	tcase_add_test(tc, not_shown_is_not_taught);
	suite_add_tcase(s, tc);
	return s;
}

TU_MAIN(progress_cli_suite)
