/*
 * Fuzz target: a whole ORANGE JSON file (plain or gzip, as the reader's BGZF
 * stream sees it) through content recognition and the ORANGE reader
 * (src/input/orange.c), every alteration copied as the matcher keeps one, and
 * every fact offered to a sample profile as `match` offers it. The input is
 * written to an in-memory file (memfd) and opened by its /proc path. An
 * alteration whose texts are not where its slices say, or a fact without its
 * source, aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cohortmatch/input.h"
#include "cohortmatch/profile.h"
#include "fuzz.h"

static cm_oncotree *tree;

static void check_slice(cm_slice slice)
{
    if (slice.len < 0 || (slice.len > 0 && !slice.s))
        abort();
    volatile char sum = 0;
    for (int i = 0; i < slice.len; i++)
        sum ^= slice.s[i];
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!tree) {
        hts_set_log_level(HTS_LOG_OFF);
        cm_error err;
        if (!(tree = cm_oncotree_load_bundled(&err)))
            abort();
    }
    char path[64];
    int fd = fuzz_memfd("fuzz.orange.json", data, size, path);
    cm_error err;
    cm_error_clear(&err);
    cm_input_format format;
    cm_input_detect(path, &format, &err);

    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = CM_INPUT_ORANGE;
    cm_input *input = cm_input_open(path, &options, &err);
    if (input) {
        const cm_alteration *batch;
        size_t n;
        int got;
        while ((got = cm_input_next(input, &batch, &n, &err)) > 0)
            for (size_t i = 0; i < n; i++) {
                const cm_alteration *a = &batch[i];
                check_slice(a->chrom), check_slice(a->ref), check_slice(a->alt);
                check_slice(a->gene), check_slice(a->partner), check_slice(a->transcript);
                check_slice(a->hgvsc), check_slice(a->hgvsp), check_slice(a->key);
                if (a->key.len == 0 || a->sample != 0)
                    abort();
                cm_owned_alteration owned;
                if (cm_alteration_copy(a, &owned) == 0)
                    cm_owned_alteration_free(&owned);
            }
        if (got == 0) {
            size_t n_facts;
            const cm_input_fact *facts = cm_input_facts(input, &n_facts);
            cm_sample_profile profile;
            if (cm_profile_init(&profile, cm_input_sample_name(input, 0)) == 0) {
                for (size_t i = 0; i < n_facts; i++) {
                    if (!facts[i].where || !strchr(facts[i].where, ':'))
                        abort();
                    cm_error offer_error;
                    cm_error_clear(&offer_error);
                    cm_profile_offer(&profile, tree, facts[i].name, facts[i].value, CM_ORIGIN_FILE,
                                     facts[i].where, &offer_error);
                }
                cm_profile_clear(&profile);
            }
        }
        cm_input_get_stats(input);
        cm_input_close(input);
    }
    close(fd);
    return 0;
}
