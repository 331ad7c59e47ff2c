/*
 * Fuzz target: a whole TSO500 CombinedVariantOutput.tsv (in a memfd, opened by
 * its /proc path) through the reader (src/input/tso500.c) with the format
 * forced, as `--input-format tso500` does, and through recognition. Every
 * alteration is copied (so every slice it borrows is read) and matched with
 * the bundled rules; every fact is offered to a sample profile as `match`
 * offers it. Invariants: an alteration names its line and the input's one
 * sample; a fact names its source; an error has a message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <htslib/hts.h>

#include "cohortmatch/input.h"
#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/rules.h"
#include "fuzz.h"

#ifndef CM_SOURCE_DIR
#error "CM_SOURCE_DIR must name the source tree (for the bundled rules)"
#endif

static cm_oncotree *tree;
static cm_ruleset *rules;

static void setup(void)
{
    hts_set_log_level(HTS_LOG_OFF);
    cm_error err;
    cm_error_clear(&err);
    cm_diagnostics diag = {0};
    if (!(tree = cm_oncotree_load_bundled(&err)) || !(rules = cm_ruleset_new(tree)) ||
        cm_ruleset_load(rules, CM_SOURCE_DIR "/rules", &diag) != 0 ||
        cm_ruleset_compile(rules) != 0)
        abort();
    cm_diagnostics_clear(&diag);
}

static void read_input(const char *path)
{
    cm_error err;
    cm_error_clear(&err);
    cm_input_options options;
    memset(&options, 0, sizeof options);
    options.format = CM_INPUT_TSO500;
    cm_input *input = cm_input_open(path, &options, &err);
    if (!input) {
        if (!err.message[0])
            abort();
        return;
    }
    if (cm_input_n_samples(input) != 1)
        abort();
    cm_sample_profile profile;
    if (cm_profile_init(&profile, "fuzz") < 0)
        abort();
    if (cm_profile_set_tumour_type(&profile, tree, "LUAD", NULL, 0, &err) < 0)
        abort();
    cm_gates gates;
    cm_gates_unset(&gates);
    cm_matcher *matcher = cm_matcher_new(rules, &profile, 1, &gates);
    if (!matcher)
        abort();
    cm_matcher_set_genome_build(matcher, cm_input_genome_build(input));
    const cm_alteration *alterations;
    size_t n;
    int got;
    while ((got = cm_input_next(input, &alterations, &n, &err)) > 0)
        for (size_t i = 0; i < n; i++) {
            const cm_alteration *a = &alterations[i];
            if (a->sample != 0 || a->line < 1)
                abort();
            cm_owned_alteration copy;
            if (cm_alteration_copy(a, &copy) < 0)
                abort();
            cm_owned_alteration_free(&copy);
            if (cm_matcher_add(matcher, a) < 0)
                abort();
        }
    if (got < 0 && !err.message[0])
        abort();
    size_t n_facts;
    const cm_input_fact *facts = cm_input_facts(input, &n_facts);
    for (size_t i = 0; i < n_facts; i++) {
        if (!facts[i].where || !facts[i].where[0] || facts[i].sample != 0)
            abort();
        cm_error_clear(&err);
        cm_profile_offer(&profile, tree, facts[i].name, facts[i].value, CM_ORIGIN_FILE,
                         facts[i].where, &err);
    }
    if (got == 0)
        cm_matcher_finish(matcher);
    cm_input_get_stats(input);
    cm_matcher_free(matcher);
    cm_profile_clear(&profile);
    cm_input_close(input);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules)
        setup();
    char path[64];
    int fd = fuzz_memfd("CombinedVariantOutput.tsv", data, size, path);
    cm_input_format format;
    cm_error err;
    cm_error_clear(&err);
    cm_input_detect(path, &format, &err);
    read_input(path);
    close(fd);
    return 0;
}
