/*
 * Replays files through a fuzz target's LLVMFuzzerTestOneInput without
 * libFuzzer, so the regression and seed corpora run in the normal test suite
 * (any compiler; under the asan preset with the sanitizers). Arguments are
 * files or folders (every regular file in them, in name order). Exit 0 when
 * every input ran; a crash, leak or sanitizer report fails the process.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t capacity = 4096, size = 0;
    uint8_t *data = malloc(capacity);
    size_t n;
    while (data && (n = fread(data + size, 1, capacity - size, fp)) > 0) {
        size += n;
        if (size == capacity) {
            uint8_t *bigger = realloc(data, capacity * 2);
            if (!bigger) {
                free(data);
                data = NULL;
                break;
            }
            data = bigger;
            capacity *= 2;
        }
    }
    int failed = ferror(fp) || !data;
    fclose(fp);
    if (failed) {
        free(data);
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    // An exact-size copy, so that ASan sees a read past the input's end.
    uint8_t *exact = malloc(size ? size : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, size);
    free(data);
    LLVMFuzzerTestOneInput(exact, size);
    free(exact);
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, int *n_files)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s does not exist\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        (*n_files)++;
        return run_file(path);
    }
    DIR *dir = opendir(path);
    if (!dir) {
        fprintf(stderr, "replay: cannot open folder %s\n", path);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, capacity = 0;
    struct dirent *entry;
    int status = 0;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        if (n == capacity) {
            capacity = capacity ? capacity * 2 : 64;
            char **bigger = realloc(names, capacity * sizeof *names);
            if (!bigger) {
                status = -1;
                break;
            }
            names = bigger;
        }
        size_t len = strlen(path) + strlen(entry->d_name) + 2;
        if (!(names[n] = malloc(len))) {
            status = -1;
            break;
        }
        snprintf(names[n++], len, "%s/%s", path, entry->d_name);
    }
    closedir(dir);
    if (status == 0 && n > 0)
        qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        if (status == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            (*n_files)++;
            status = run_file(names[i]);
        }
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    int n_files = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &n_files) != 0)
            return 1;
    printf("replayed %d inputs\n", n_files);
    return 0;
}
