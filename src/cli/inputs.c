/*
 * The input files of a command line: files as given, a cBioPortal study folder
 * as one input, other folders expanded into the files in them that cohortmatch
 * reads. Shared by match and alterations;
 * the only place that tells the user which files of a folder were left out.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <htslib/kstring.h>

#include "cli.h"
#include "cohortmatch/cbioportal.h"
#include "cohortmatch/input.h"

static int push(char ***list, size_t *n, const char *path)
{
    char **grown = realloc(*list, (*n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    *list = grown;
    if (!(grown[*n] = strdup(path)))
        return -1;
    (*n)++;
    return 0;
}

int cm_cli_add_study_ignored(cm_cli_inputs *inputs, const cm_study *study, const char *folder)
{
    size_t n;
    const char *const *names = cm_study_ignored_files(study, &n);
    size_t len = strlen(folder);
    kstring_t path = {0, 0, NULL};
    int status = 0;
    for (size_t i = 0; i < n && status == 0; i++) {
        path.l = 0;
        if (ksprintf(&path, "%s%s%s", folder, len && folder[len - 1] == '/' ? "" : "/", names[i]) <
                0 ||
            push(&inputs->ignored, &inputs->n_ignored, path.s) < 0)
            status = -1;
    }
    free(path.s);
    return status;
}

int cm_cli_expand_inputs(char *const *args, int n_args, int forced, int quiet,
                         cm_cli_inputs *inputs)
{
    memset(inputs, 0, sizeof *inputs);
    for (int a = 0; a < n_args; a++) {
        struct stat st;
        // A cBioPortal study folder (a meta_*.txt, or data_clinical_sample.txt) is one input;
        // any other folder stands for the files in it.
        if (strcmp(args[a], "-") == 0 || stat(args[a], &st) != 0 || !S_ISDIR(st.st_mode) ||
            cm_cbioportal_is_study(args[a])) {
            if (push(&inputs->paths, &inputs->n, args[a]) < 0)
                goto out_of_memory;
            continue;
        }
        char **paths, **unrecognised;
        size_t n, n_unrecognised;
        cm_error err;
        cm_error_clear(&err);
        if (cm_input_list_folder(args[a], !forced, &paths, &n, &unrecognised, &n_unrecognised,
                                 &err) < 0) {
            cm_cli_inputs_free(inputs);
            return cm_cli_report(&err);
        }
        if (n == 0) {
            // One line: the error names what the folder holds instead.
            kstring_t names = {0, 0, NULL};
            for (size_t i = 0; i < n_unrecognised && i < 5; i++) {
                const char *slash = strrchr(unrecognised[i], '/');
                ksprintf(&names, "%s%s", i ? ", " : "", slash ? slash + 1 : unrecognised[i]);
            }
            if (n_unrecognised > 5)
                kputs(", ...", &names);
            cm_error_set(&err, args[a], 0, 0,
                         "no file in this folder is a format cohortmatch reads (VCF/BCF, PURPLE, "
                         "LINX, ORANGE, TSO500 CombinedVariantOutput)%s%s%s",
                         names.l ? "; it holds " : "", names.l ? names.s : "",
                         names.l ? "" : "; it holds no file");
            free(names.s);
            cm_input_free_paths(paths, n);
            cm_input_free_paths(unrecognised, n_unrecognised);
            cm_cli_inputs_free(inputs);
            return cm_cli_report(&err);
        }
        int failed = 0;
        for (size_t i = 0; i < n && !failed; i++)
            failed = push(&inputs->paths, &inputs->n, paths[i]) < 0;
        for (size_t i = 0; i < n_unrecognised && !failed; i++) {
            if (!quiet)
                cm_cli_message("warning: ignored %s (not a format cohortmatch reads)",
                               unrecognised[i]);
            failed = push(&inputs->ignored, &inputs->n_ignored, unrecognised[i]) < 0;
        }
        cm_input_free_paths(paths, n);
        cm_input_free_paths(unrecognised, n_unrecognised);
        if (failed)
            goto out_of_memory;
    }
    return 0;
out_of_memory:
    cm_cli_inputs_free(inputs);
    cm_cli_message("out of memory");
    return CM_EXIT_BAD_INPUT;
}

void cm_cli_inputs_free(cm_cli_inputs *inputs)
{
    cm_input_free_paths(inputs->paths, inputs->n);
    cm_input_free_paths(inputs->ignored, inputs->n_ignored);
    memset(inputs, 0, sizeof *inputs);
}
