/*
 * Fuzz target: the YAML rule loader (src/rules/load*.c) and the compiler.
 * The input is one protocol file; whatever loads is compiled, every arm's
 * match expression is described in words, as `cohortmatch list` does, and
 * the file's own `tests:` cases run through the matcher, as `cohortmatch
 * test` runs them: so the matcher sees every rule expression the loader
 * accepts.
 */
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/rules.h"
#include "fuzz.h"

// One `tests:` case through the matcher (src/cli/cmd_test.c without the comparison).
static void run_test(const cm_ruleset *rules, const cm_rule_test *test)
{
    cm_sample_profile profile;
    if (cm_profile_init(&profile, test->name) < 0)
        return;
    profile.tumour_type = strdup(test->tumour_type);
    profile.tumour_node = test->tumour_node;
    profile.tmb = test->tmb;
    profile.msi = test->msi;
    profile.mmr = test->mmr;
    profile.age = test->age;
    profile.sex = test->sex;
    cm_matcher *matcher = profile.tumour_type ? cm_matcher_new(rules, &profile, 1, NULL) : NULL;
    int status = matcher ? 0 : -1;
    for (int i = 0; status == 0 && i < test->n_alterations; i++) {
        cm_alteration alteration = test->alterations[i].owned.alteration;
        alteration.sample = 0;
        status = cm_matcher_add(matcher, &alteration);
    }
    if (status == 0 && cm_matcher_finish(matcher) == 0) {
        const cm_sample_result *result = cm_matcher_result(matcher, 0);
        volatile size_t sum = result->n_candidates + result->n_ruled_out;
        (void)sum;
    }
    cm_matcher_free(matcher);
    cm_profile_clear(&profile);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static cm_oncotree *tree;
    if (!tree) {
        cm_error err;
        cm_error_clear(&err);
        if (!(tree = cm_oncotree_load_bundled(&err)))
            abort();
    }
    cm_ruleset *rules = cm_ruleset_new(tree);
    if (!rules)
        return 0;
    cm_diagnostics diag = {0};
    kstring_t line = {0, 0, NULL};
    if (cm_ruleset_load_string(rules, "fuzz.yaml", (const char *)data, size, &diag) == 0 &&
        cm_ruleset_compile(rules) == 0) {
        for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
            const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
            for (int a = 0; a < protocol->n_arms; a++) {
                line.l = 0;
                cm_expr_describe(rules, protocol->arms[a].match, 1, &line);
                cm_arm_evidence_rank(&protocol->arms[a]);
            }
            for (int t = 0; t < protocol->n_tests; t++)
                run_test(rules, &protocol->tests[t]);
        }
    }
    cm_diagnostics_sort(&diag);
    for (size_t i = 0; i < diag.n; i++) {
        line.l = 0;
        cm_diagnostic_format(&diag.items[i], &line);
    }
    free(line.s);
    cm_diagnostics_clear(&diag);
    cm_ruleset_free(rules);
    return 0;
}
