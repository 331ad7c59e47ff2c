/*
 * Fuzz target: the YAML rule loader (src/rules/load.c) and the compiler.
 * The input is one protocol file; whatever loads is compiled and every arm's
 * match expression is described in words, as `cohortmatch list` does.
 */
#include <stdlib.h>

#include "cohortmatch/rules.h"
#include "fuzz.h"

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
