/*
 * cohortmatch lint: loads rule files and prints every problem found, one line
 * each, as compilers do (file:line:col: error: message), then a summary. The
 * loader finds the problems; this file only orders and prints them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "cohortmatch/oncotree.h"
#include "cohortmatch/rules.h"

static void usage(FILE *fp)
{
    fprintf(fp, "\n"
                "About:   Validate rule files: report every problem with file:line:column.\n"
                "Usage:   cohortmatch lint [options] <rules.yaml|dir>...\n"
                "\n"
                "Options:\n"
                "    -j, --json              print the diagnostics as JSON             [text]\n"
                "    -s, --strict            count warnings as errors                  [off]\n"
                "    -T, --oncotree FILE     OncoTree release as a flat TSV            [bundled]\n"
                "    -h, --help              this help\n"
                "\n"
                "A folder means every *.yaml and *.yml file in it, in name order.\n"
                "Exit status: 0 no errors, 1 errors found, 2 usage.\n\n");
}

static void plural(kstring_t *out, size_t n, const char *word)
{
    ksprintf(out, "%zu %s%s", n, word, n == 1 ? "" : "s");
}

static int print_json(const cm_diagnostics *diag, size_t n_files, size_t n_errors,
                      size_t n_warnings, int strict)
{
    json_t *root = json_object();
    json_t *items = json_array();
    for (size_t i = 0; i < diag->n; i++) {
        const cm_diagnostic *d = &diag->items[i];
        int is_error = d->severity == CM_SEVERITY_ERROR || strict;
        // Paths need not be UTF-8: keep their bytes rather than drop the diagnostic.
        json_t *item = json_object();
        json_object_set_new(item, "file", json_string_nocheck(d->file));
        json_object_set_new(item, "line", d->line > 0 ? json_integer(d->line) : json_null());
        json_object_set_new(item, "column", d->column > 0 ? json_integer(d->column) : json_null());
        json_object_set_new(item, "severity", json_string(is_error ? "error" : "warning"));
        json_object_set_new(item, "message", json_string_nocheck(d->message));
        json_array_append_new(items, item);
    }
    json_object_set_new(root, "diagnostics", items);
    json_object_set_new(root, "summary",
                        json_pack("{s:I, s:I, s:I}", "files", (json_int_t)n_files, "errors",
                                  (json_int_t)n_errors, "warnings", (json_int_t)n_warnings));
    int failed = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0;
    fputc('\n', stdout);
    json_decref(root);
    return failed ? -1 : 0;
}

int main_lint(int argc, char **argv)
{
    static const struct option options[] = {{"json", no_argument, NULL, 'j'},
                                            {"strict", no_argument, NULL, 's'},
                                            {"oncotree", required_argument, NULL, 'T'},
                                            {"help", no_argument, NULL, 'h'},
                                            {NULL, 0, NULL, 0}};
    int json = 0, strict = 0, c;
    const char *oncotree_path = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "jsT:h", options, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = 1;
            break;
        case 's':
            strict = 1;
            break;
        case 'T':
            oncotree_path = optarg;
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        default:
            if (optopt == 'T')
                return cm_cli_usage_error("lint", "option '-T' needs a file");
            if (optopt)
                return cm_cli_usage_error("lint", "unknown option '-%c'", optopt);
            return cm_cli_usage_error("lint", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }

    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree =
        oncotree_path ? cm_oncotree_load_file(oncotree_path, &err) : cm_oncotree_load_bundled(&err);
    if (!tree)
        return cm_cli_report(&err);
    cm_ruleset *rules = cm_ruleset_new(tree);
    if (!rules) {
        cm_oncotree_free(tree);
        cm_cli_message("out of memory");
        return CM_EXIT_BAD_INPUT;
    }
    cm_diagnostics diag = {0};
    for (int i = optind; i < argc; i++)
        cm_ruleset_load(rules, argv[i], &diag);
    cm_diagnostics_sort(&diag);

    size_t n_errors = diag.n_errors, n_warnings = diag.n_warnings;
    if (strict) {
        n_errors += n_warnings;
        n_warnings = 0;
    }
    size_t n_files = cm_ruleset_n_files(rules);
    int failed;
    if (json) {
        failed = print_json(&diag, n_files, n_errors, n_warnings, strict);
    } else {
        kstring_t line = {0, 0, NULL};
        for (size_t i = 0; i < diag.n; i++) {
            cm_diagnostic d = diag.items[i];
            if (strict)
                d.severity = CM_SEVERITY_ERROR;
            line.l = 0;
            cm_diagnostic_format(&d, &line);
            puts(line.s);
        }
        line.l = 0;
        plural(&line, n_files, "file");
        kputs(", ", &line);
        plural(&line, n_errors, "error");
        kputs(", ", &line);
        plural(&line, n_warnings, "warning");
        puts(line.s);
        free(line.s);
        failed = fflush(stdout) != 0 || ferror(stdout);
    }
    cm_diagnostics_clear(&diag);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    if (failed) {
        cm_cli_message("cannot write to standard output");
        return CM_EXIT_BAD_INPUT;
    }
    return n_errors > 0 ? CM_EXIT_BAD_INPUT : CM_EXIT_OK;
}
