/*
 * Recognising an input by its content (include/cohortmatch/input.h): the
 * first bytes of the file, decompressed when it is gzip or BGZF, are matched
 * against what each format is known to start with: a VCF header line or the
 * BCF magic, TSO500's banner, the header columns of the PURPLE and LINX
 * tables, the top-level keys of an ORANGE JSON. A file's name is never used.
 * Also lists the recognised files of a folder.
 */
#include "internal.h"

#include "cohortmatch/cbioportal.h"
#include "cohortmatch/maf.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

// Enough for a VCF's first line, a TSV header and the top of an ORANGE JSON.
enum { DETECT_BYTES = 1 << 16 };

// Whether the tab-separated header line (len bytes) has every one of the names.
static int has_columns(const char *line, size_t len, const char *const *names)
{
    for (const char *const *name = names; *name; name++) {
        size_t want = strlen(*name);
        int found = 0;
        const char *p = line, *end = line + len;
        while (p <= end && !found) {
            const char *tab = memchr(p, '\t', (size_t)(end - p));
            const char *stop = tab ? tab : end;
            found = (size_t)(stop - p) == want && memcmp(p, *name, want) == 0;
            p = stop + 1;
        }
        if (!found)
            return 0;
    }
    return 1;
}

static int contains(const char *text, size_t len, const char *what)
{
    size_t want = strlen(what);
    for (size_t i = 0; i + want <= len; i++)
        if (memcmp(text + i, what, want) == 0)
            return 1;
    return 0;
}

static cm_input_format classify(const char *data, size_t len)
{
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) { // a UTF-8 byte-order mark
        data += 3;
        len -= 3;
    }
    if (len >= 4 && memcmp(data, "BCF", 3) == 0 && (data[3] == 2 || data[3] == 4))
        return CM_INPUT_VCF;
    if ((len >= 2 && memcmp(data, "##", 2) == 0) || (len >= 6 && memcmp(data, "#CHROM", 6) == 0))
        return CM_INPUT_VCF;
    // A MAF: its column header after any '#' lines (GDC's "#version gdc-1.0.0").
    for (size_t at = 0; at < len;) {
        const char *end = memchr(data + at, '\n', len - at);
        size_t line = end ? (size_t)(end - data) - at : len - at;
        if (data[at] != '#') {
            if (line > 0 && data[at + line - 1] == '\r')
                line--;
            if (cm_maf_is_header(data + at, line))
                return CM_INPUT_MAF;
            break;
        }
        if (!end)
            break;
        at += line + 1;
    }
    const char *newline = memchr(data, '\n', len);
    size_t first = newline ? (size_t)(newline - data) : len;
    while (first > 0 && (data[first - 1] == '\r' || data[first - 1] == '\t'))
        first--;
    // TSO500: "TruSight Oncology 500 - Combined Variant Output" (LocalApp) or "DRAGEN TruSight
    // Oncology 500 [v2.6.2 ]Analysis Software - Combined Variant Output"; a file that lost its
    // banner still starts with its first section.
    if ((contains(data, first, "TruSight Oncology 500") &&
         contains(data, first, "Combined Variant Output")) ||
        (first == 18 && memcmp(data, "[Analysis Details]", 18) == 0))
        return CM_INPUT_TSO500;
    size_t start = 0;
    while (start < len && (data[start] == ' ' || data[start] == '\t' || data[start] == '\n' ||
                           data[start] == '\r'))
        start++;
    if (start < len && data[start] == '{') {
        // ORANGE: a "purple" object beside the sample's id or the run's genome version.
        if (contains(data, len, "\"purple\"") &&
            (contains(data, len, "\"sampleId\"") || contains(data, len, "\"refGenomeVersion\"") ||
             contains(data, len, "\"experimentType\"")))
            return CM_INPUT_ORANGE;
        return CM_INPUT_UNKNOWN;
    }
    static const char *const purity[] = {"purity", "ploidy", "tmbPerMb", "msStatus", NULL};
    static const char *const linx[] = {
        "fivePrimeBreakendId", "threePrimeBreakendId", "name", "reported", "phased", NULL};
    static const char *const drivers[] = {"chromosome",       "gene", "driver", "likelihoodMethod",
                                          "driverLikelihood", NULL};
    static const char *const genes[] = {"chromosome",    "start",         "end", "gene",
                                        "minCopyNumber", "maxCopyNumber", NULL};
    if (has_columns(data, first, purity))
        return CM_INPUT_PURPLE_PURITY;
    if (has_columns(data, first, linx))
        return CM_INPUT_LINX_FUSIONS;
    if (has_columns(data, first, drivers))
        return CM_INPUT_PURPLE_DRIVERS;
    if (has_columns(data, first, genes))
        return CM_INPUT_PURPLE_GENE_COPY_NUMBER;
    return CM_INPUT_UNKNOWN;
}

int cm_input_detect(const char *path, cm_input_format *format, cm_error *err)
{
    *format = CM_INPUT_UNKNOWN;
    if (strcmp(path, "-") == 0) {
        *format = CM_INPUT_VCF;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!cm_cbioportal_is_study(path))
            return cm_error_set(err, path, 0, 0, "a folder, not a file");
        *format = CM_INPUT_CBIOPORTAL;
        return 0;
    }
    errno = 0;
    BGZF *fp = bgzf_open(path, "r");
    if (!fp)
        return cm_error_set(err, path, 0, 0, "cannot open: %s",
                            errno ? strerror(errno) : "not a readable file");
    char *data = malloc(DETECT_BYTES);
    if (!data) {
        bgzf_close(fp);
        return cm_error_set(err, path, 0, 0, "out of memory");
    }
    ssize_t got = bgzf_read(fp, data, DETECT_BYTES);
    bgzf_close(fp);
    if (got < 0) {
        // A damaged compressed stream: the VCF reader tells what is wrong with it.
        free(data);
        *format = CM_INPUT_VCF;
        return 0;
    }
    if (got == 0) {
        free(data);
        return cm_error_set(err, path, 0, 0, "empty file");
    }
    *format = classify(data, (size_t)got);
    free(data);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cm_input_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

static int push_path(char ***paths, size_t *n, char *path)
{
    char **grown = realloc(*paths, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *paths = grown;
    grown[(*n)++] = path;
    return 0;
}

int cm_input_list_folder(const char *folder, int detect, char ***paths, size_t *n,
                         char ***unrecognised, size_t *n_unrecognised, cm_error *err)
{
    *paths = *unrecognised = NULL;
    *n = *n_unrecognised = 0;
    DIR *dir = opendir(folder);
    if (!dir)
        return cm_error_set(err, folder, 0, 0, "cannot open the folder: %s", strerror(errno));
    char **names = NULL;
    size_t n_names = 0;
    int status = 0;
    struct dirent *entry;
    while (status == 0 && (entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        kstring_t full = {0, 0, NULL};
        size_t len = strlen(folder);
        ksprintf(&full, "%s%s%s", folder, len && folder[len - 1] == '/' ? "" : "/", entry->d_name);
        struct stat st;
        if (!full.s || stat(full.s, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(full.s);
            continue;
        }
        if (push_path(&names, &n_names, full.s) < 0) {
            free(full.s);
            status = cm_error_set(err, folder, 0, 0, "out of memory");
        }
    }
    closedir(dir);
    if (n_names > 1)
        qsort(names, n_names, sizeof *names, compare_names);
    for (size_t i = 0; i < n_names; i++) {
        if (status != 0) {
            free(names[i]);
            continue;
        }
        int recognised = 1;
        if (detect) {
            cm_input_format format;
            cm_error detect_error;
            cm_error_clear(&detect_error);
            int detected = cm_input_detect(names[i], &format, &detect_error);
            if (detected < 0 && strcmp(detect_error.message, "empty file") != 0) {
                *err = detect_error;
                status = -1;
                free(names[i]);
                continue;
            }
            recognised = detected == 0 && format != CM_INPUT_UNKNOWN;
        }
        if (push_path(recognised ? paths : unrecognised, recognised ? n : n_unrecognised,
                      names[i]) < 0) {
            free(names[i]);
            status = cm_error_set(err, folder, 0, 0, "out of memory");
        }
    }
    free(names);
    if (status != 0) {
        cm_input_free_paths(*paths, *n);
        cm_input_free_paths(*unrecognised, *n_unrecognised);
        *paths = *unrecognised = NULL;
        *n = *n_unrecognised = 0;
    }
    return status;
}
