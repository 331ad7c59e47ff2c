/*
 * What the matcher and report tests share: a rule set loaded from one YAML
 * text, exactly as a protocol file would give it. Include after <cmocka.h>.
 */
#ifndef COHORTMATCH_TEST_RULES_FIXTURE_H
#define COHORTMATCH_TEST_RULES_FIXTURE_H

#include "cohortmatch/oncotree.h"
#include "cohortmatch/rules.h"

/*
 * Loads the bundled OncoTree into *tree and the YAML text (named name in
 * diagnostics) into a new compiled rule set over it, which it returns. Fails
 * the calling test, printing every diagnostic, when the text has an error, or
 * any diagnostic at all when strict is set.
 */
static inline cm_ruleset *load_test_rules(cm_oncotree **tree, const char *name, const char *yaml,
                                          size_t len, int strict)
{
    cm_error err;
    cm_error_clear(&err);
    *tree = cm_oncotree_load_bundled(&err);
    assert_non_null(*tree);
    cm_ruleset *rules = cm_ruleset_new(*tree);
    assert_non_null(rules);
    cm_diagnostics diag = {0};
    int errors = cm_ruleset_load_string(rules, name, yaml, len, &diag);
    size_t n_diagnostics = diag.n;
    for (size_t i = 0; i < diag.n; i++)
        print_error("%s:%d:%d: %s\n", diag.items[i].file, diag.items[i].line, diag.items[i].column,
                    diag.items[i].message);
    cm_diagnostics_clear(&diag);
    assert_int_equal(errors, 0);
    if (strict)
        assert_int_equal(n_diagnostics, 0);
    assert_int_equal(cm_ruleset_compile(rules), 0);
    return rules;
}

#endif
