/*
 * Error printing, number parsing and atomic output for the command files.
 * The library below never prints; this is where its errors become lines on
 * stderr and exit statuses.
 */
#define _XOPEN_SOURCE 700 // realpath()
#include "cli.h"
#include "cohortmatch/cohorts.h"
#include "cohortmatch/input.h"
#include "cohortmatch/rules.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void cm_cli_message(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cohortmatch: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cm_cli_report(const cm_error *err)
{
    kstring_t line = {0, 0, NULL};
    cm_error_format(err, &line);
    fprintf(stderr, "cohortmatch: %s\n", line.s ? line.s : "unknown error");
    free(line.s);
    return CM_EXIT_BAD_INPUT;
}

static void print_option_problem(const char *command, const char *fmt, va_list ap)
{
    fprintf(stderr, "cohortmatch %s: ", command);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (see 'cohortmatch %s --help')\n", command);
}

int cm_cli_usage_error(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_option_problem(command, fmt, ap);
    va_end(ap);
    return CM_EXIT_USAGE;
}

int cm_cli_bad_value(const char *command, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    print_option_problem(command, fmt, ap);
    va_end(ap);
    return CM_EXIT_BAD_INPUT;
}

int cm_cli_option_error(const char *command, int c, char **argv)
{
    // optopt is the option's character for a short option; for a long one it is the
    // option's value (or 0) and argv[optind - 1] is the option as written.
    char name[64];
    if (optopt > ' ' && optopt < 127)
        snprintf(name, sizeof name, "-%c", optopt);
    else
        snprintf(name, sizeof name, "%s", optind > 0 ? argv[optind - 1] : "?");
    if (c == ':')
        return cm_cli_usage_error(command, "option '%s' needs a value", name);
    return cm_cli_usage_error(command, "unknown option '%s'", name);
}

int cm_cli_bad_input_format(const char *command, const char *value, int with_cohorts)
{
    // The names come from the format table, so the message (which tests/man/check_man.py holds
    // --help, the man pages and the completion to) is what the parser takes.
    kstring_t names = {0, 0, NULL};
    int last = with_cohorts ? CM_INPUT_FORMAT_COUNT - 1 : CM_INPUT_MAF - 1;
    for (int format = CM_INPUT_VCF; format <= last; format++) {
        if (format > CM_INPUT_VCF)
            kputs(format == last ? " or " : ", ", &names);
        kputs(cm_input_format_name((cm_input_format)format), &names);
    }
    int status = cm_cli_bad_value(command, "--input-format takes %s, not '%s'",
                                  names.s ? names.s : "", value);
    free(names.s);
    return status;
}

int cm_cli_parse_int(const char *text, int *out)
{
    char *end;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno || end == text || *end || value < 0 || value > 1000000000)
        return -1;
    *out = (int)value;
    return 0;
}

int cm_cli_parse_double(const char *text, double *out)
{
    char *end;
    errno = 0;
    double value = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(value))
        return -1;
    *out = value;
    return 0;
}

int cm_output_open(cm_output *out, const char *path, cm_error *err)
{
    memset(out, 0, sizeof *out);
    if (!path || strcmp(path, "-") == 0) {
        out->fp = stdout;
        return 0;
    }
    // Only a regular file is replaced atomically. /dev/null, /dev/stdout, a FIFO or a
    // terminal is written in place: a rename onto it would replace the device (or the pipe
    // a reader waits on) with a regular file.
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            return cm_error_set(err, path, 0, 0, "cannot write output: %s", strerror(EISDIR));
        if (!(out->path = strdup(path)))
            return cm_error_set(err, path, 0, 0, "out of memory");
        if (!(out->fp = fopen(path, "w"))) {
            int saved = errno;
            cm_output_abort(out);
            return cm_error_set(err, path, 0, 0, "cannot write output: %s", strerror(saved));
        }
        return 0;
    }
    size_t len = strlen(path);
    out->path = strdup(path);
    out->temp_path = malloc(len + 32);
    if (!out->path || !out->temp_path) {
        cm_output_abort(out);
        return cm_error_set(err, path, 0, 0, "out of memory");
    }
    // mkstemp in the destination's own folder, so that rename() cannot cross filesystems.
    snprintf(out->temp_path, len + 32, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(out->temp_path);
    if (fd < 0) {
        int saved = errno;
        free(out->temp_path);
        out->temp_path = NULL;
        cm_output_abort(out);
        return cm_error_set(err, path, 0, 0, "cannot write output: %s", strerror(saved));
    }
    fchmod(fd, 0644);
    out->fp = fdopen(fd, "w");
    if (!out->fp) {
        close(fd);
        cm_output_abort(out);
        return cm_error_set(err, path, 0, 0, "cannot write output: %s", strerror(errno));
    }
    return 0;
}

int cm_output_commit(cm_output *out, cm_error *err)
{
    if (!out->path) {
        if (fflush(stdout) != 0 || ferror(stdout))
            return cm_error_set(err, "-", 0, 0, "cannot write to standard output: %s",
                                strerror(errno));
        return 0;
    }
    int failed = ferror(out->fp) != 0;
    failed |= fclose(out->fp) != 0;
    out->fp = NULL;
    if (!out->temp_path) { // written in place (not a regular file)
        int saved = errno;
        if (failed)
            cm_error_set(err, out->path, 0, 0, "cannot write output: %s", strerror(saved));
        cm_output_abort(out);
        return failed ? -1 : 0;
    }
    if (failed || rename(out->temp_path, out->path) != 0) {
        int saved = errno;
        cm_error_set(err, out->path, 0, 0, "cannot write output: %s", strerror(saved));
        cm_output_abort(out);
        return -1;
    }
    free(out->temp_path);
    free(out->path);
    out->temp_path = out->path = NULL;
    return 0;
}

void cm_output_abort(cm_output *out)
{
    if (out->fp && out->fp != stdout)
        fclose(out->fp);
    out->fp = NULL;
    if (out->temp_path)
        unlink(out->temp_path);
    free(out->temp_path);
    free(out->path);
    out->temp_path = out->path = NULL;
}

int cm_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    if (!a || !b || stat(a, &sa) != 0 || stat(b, &sb) != 0)
        return 0;
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int cm_cli_load_rules(cm_ruleset *rules, const char *const *paths, int n_paths, int quiet)
{
    if (!rules) {
        cm_cli_message("out of memory");
        return CM_EXIT_BAD_INPUT;
    }
    cm_diagnostics diag = {0};
    int n_errors = 0;
    for (int i = 0; i < n_paths; i++)
        n_errors += cm_ruleset_load(rules, paths[i], &diag);
    cm_diagnostics_sort(&diag);
    kstring_t line = {0, 0, NULL};
    for (size_t i = 0; i < diag.n; i++) {
        if (diag.items[i].severity != CM_SEVERITY_ERROR && quiet)
            continue;
        line.l = 0;
        cm_diagnostic_format(&diag.items[i], &line);
        fprintf(stderr, "cohortmatch: %s\n", line.s);
    }
    free(line.s);
    cm_diagnostics_clear(&diag);
    if (n_errors > 0)
        return CM_EXIT_BAD_INPUT;
    if (cm_ruleset_n_protocols(rules) == 0) {
        cm_cli_message("%s: no rule files (*.yaml, *.yml) found", n_paths ? paths[0] : "-");
        return CM_EXIT_BAD_INPUT;
    }
    if (cm_ruleset_compile(rules) < 0) {
        cm_cli_message("out of memory");
        return CM_EXIT_BAD_INPUT;
    }
    return 0;
}

int cm_cli_rule_genes(const cm_ruleset *rules, const char ***genes, size_t *n_genes,
                      int64_t **positions, size_t *n_positions)
{
    *genes = NULL;
    *positions = NULL;
    *n_genes = *n_positions = 0;
    size_t n_geneless;
    const int *geneless = cm_ruleset_geneless_leaves(rules, &n_geneless);
    for (size_t i = 0; i < n_geneless; i++)
        if (cm_ruleset_leaf(rules, geneless[i])->n_variants == 0)
            return 0;
    size_t n = 0;
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++)
        n += (size_t)cm_ruleset_leaf(rules, (int)i)->n_variants;
    *genes = malloc((cm_ruleset_n_genes(rules) + 1) * sizeof **genes);
    *positions = malloc((n + 1) * sizeof **positions);
    if (!*genes || !*positions) {
        free((void *)*genes);
        free(*positions);
        *genes = NULL;
        *positions = NULL;
        return -1;
    }
    for (size_t id = 1; id < cm_ruleset_n_genes(rules); id++) {
        size_t n_leaves;
        cm_ruleset_gene_leaves(rules, (int)id, &n_leaves);
        if (n_leaves > 0)
            (*genes)[(*n_genes)++] = cm_ruleset_gene_name(rules, (int)id);
    }
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++) {
        const cm_leaf *leaf = cm_ruleset_leaf(rules, (int)i);
        for (int k = 0; k < leaf->n_variants; k++)
            (*positions)[(*n_positions)++] = leaf->variants[k].pos;
    }
    return 1;
}

/// The rules shipped with the tool: $COHORTMATCH_RULES, then beside the installed binary,
/// then the source tree when the binary is the one in its build folder (so that a build
/// never reads the rules of an earlier install), then the install prefix, then the source
/// tree.
const char *cm_cli_bundled_rules_dir(char *buffer, size_t size)
{
    const char *env = getenv("COHORTMATCH_RULES");
    if (env && *env)
        return env;
    ssize_t n = readlink("/proc/self/exe", buffer, size - 1);
    if (n > 0) {
        buffer[n] = '\0';
        char *slash = strrchr(buffer, '/');
        if (slash && (size_t)(slash - buffer) + 32 < size) {
            *slash = '\0';
            char build[PATH_MAX];
            if (realpath(CM_BUILD_DIR, build) && strcmp(build, buffer) == 0)
                return CM_SOURCE_DIR "/rules";
            strcpy(slash, "/../share/cohortmatch/rules");
            // Reports name the rule files: give them without the "bin/.." detour.
            char resolved[PATH_MAX];
            if (access(buffer, R_OK) == 0 && realpath(buffer, resolved) &&
                strlen(resolved) < size) {
                strcpy(buffer, resolved);
                return buffer;
            }
        }
    }
    if (access(CM_INSTALL_DATADIR "/rules", R_OK) == 0)
        return CM_INSTALL_DATADIR "/rules";
    return CM_SOURCE_DIR "/rules";
}

int cm_cli_open_rules(const cm_oncotree *tree, const char *const *paths, int n_paths,
                      const char *cohorts, cm_ruleset **rules, cm_error *err)
{
    if (!(*rules = cm_ruleset_new(tree)))
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    char buffer[4096];
    const char *bundled = cm_cli_bundled_rules_dir(buffer, sizeof buffer);
    int status = cm_cli_load_rules(*rules, n_paths ? paths : &bundled, n_paths ? n_paths : 1, 1);
    if (status != 0)
        return status;
    if (cohorts && cm_ruleset_apply_cohort_states(*rules, cohorts, err) < 0)
        return -1;
    return 0;
}

int cm_cli_rules_option(const char *command, const char *path, const char ***paths, int *n_paths)
{
    const char **grown = realloc((void *)*paths, (size_t)(*n_paths + 1) * sizeof *grown);
    if (!grown)
        return cm_cli_usage_error(command, "out of memory");
    *paths = grown;
    grown[(*n_paths)++] = path;
    return -1;
}

int cm_cli_date_option(const char *command, const char *text, const char **date)
{
    if (!cm_iso_date_is_valid(text))
        return cm_cli_bad_value(command, "--date takes a calendar date as YYYY-MM-DD, not '%s'",
                                text);
    *date = text;
    return -1;
}
