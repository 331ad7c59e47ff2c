/*
 * cohortmatch test: runs the `tests:` block of rule files through the same
 * matcher that `match` uses, and prints one line per case and a closing
 * "N passed, N failed" line.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cohortmatch/match.h"
#include "cohortmatch/profile.h"
#include "cohortmatch/rules.h"

static void usage(FILE *fp)
{
    fprintf(fp, "\n"
                "About:   Run the tests written in rule files (their `tests:` blocks).\n"
                "Usage:   cohortmatch test [options] <rules.yaml|dir>...\n"
                "\n"
                "Options:\n"
                "    -v, --verbose   print every case, not only failures\n"
                "    -h, --help      this help\n"
                "\n"
                "The last line is 'N passed, N failed'. Exit status: 0 all passed,\n"
                "1 a test failed or a rule file has errors, 2 usage.\n"
                "\n");
}

static int has_string(char *const *list, int n, const char *text)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i], text) == 0)
            return 1;
    return 0;
}

/// Runs one test case; appends what went wrong to why. Returns 1 passed, 0 failed, -1 error.
static int run_case(const cm_ruleset *rules, const cm_protocol *protocol, const cm_rule_test *test,
                    kstring_t *why)
{
    cm_sample_profile profile;
    if (cm_profile_init(&profile, test->name) < 0)
        return -1;
    profile.tumour_type = strdup(test->tumour_type);
    profile.tumour_node = test->tumour_node;
    profile.tmb = test->tmb;
    profile.msi = test->msi;
    profile.mmr = test->mmr;
    profile.age = test->age;
    profile.sex = test->sex;
    // Named biomarkers as a sample sheet row gives them: one source, so a list stays a list.
    kstring_t where = {0, 0, NULL};
    ksprintf(&where, "%s:%d", protocol->path, test->line);
    int status = where.s ? 0 : -1;
    for (int i = 0; status == 0 && i < test->n_biomarkers; i++) {
        cm_error err;
        status = cm_profile_offer(&profile, cm_ruleset_oncotree(rules), test->biomarkers[i].name,
                                  test->biomarkers[i].value, CM_ORIGIN_SAMPLE_SHEET, where.s, &err);
        if (status < 0)
            ksprintf(why, "biomarker %s: %s", test->biomarkers[i].name, err.message);
    }
    free(where.s);
    cm_matcher *matcher = status == 0 ? cm_matcher_new(rules, &profile, 1, NULL) : NULL;
    status = matcher && profile.tumour_type ? 0 : -1;
    for (int i = 0; status == 0 && i < test->n_alterations; i++) {
        cm_alteration alteration = test->alterations[i].owned.alteration;
        alteration.sample = 0;
        status = cm_matcher_add(matcher, &alteration);
    }
    if (status == 0)
        status = cm_matcher_finish(matcher);
    int passed = 0;
    if (status == 0) {
        const cm_sample_result *result = cm_matcher_result(matcher, 0);
        passed = 1;
        // Candidates: exactly the expected set, among this protocol's arms.
        for (size_t i = 0; i < result->n_candidates; i++) {
            const cm_arm *arm = result->candidates[i].arm;
            if (arm->protocol == protocol &&
                !has_string(test->expect_candidates, test->n_expect_candidates, arm->id)) {
                ksprintf(why, "%sunexpected candidate %s", passed ? "" : "; ", arm->id);
                passed = 0;
            }
        }
        for (int k = 0; k < test->n_expect_candidates; k++) {
            int found = 0;
            for (size_t i = 0; i < result->n_candidates && !found; i++)
                found = strcmp(result->candidates[i].arm->id, test->expect_candidates[k]) == 0;
            if (!found) {
                ksprintf(why, "%sexpected candidate %s", passed ? "" : "; ",
                         test->expect_candidates[k]);
                // Say what happened to it instead, if it was ruled out.
                for (size_t i = 0; i < result->n_ruled_out; i++)
                    if (strcmp(result->ruled_out[i].arm->id, test->expect_candidates[k]) == 0)
                        ksprintf(why, " (ruled out: %s, %s)",
                                 cm_reason_name(result->ruled_out[i].reason),
                                 result->ruled_out[i].detail);
                passed = 0;
            }
        }
        for (int k = 0; k < test->n_expect_absent; k++) {
            const char *arm = test->expect_absent[k];
            const char *verdict = NULL;
            for (size_t i = 0; i < result->n_candidates && !verdict; i++)
                if (strcmp(result->candidates[i].arm->id, arm) == 0)
                    verdict = "a candidate";
            for (size_t i = 0; i < result->n_ruled_out && !verdict; i++)
                if (strcmp(result->ruled_out[i].arm->id, arm) == 0)
                    verdict = cm_reason_name(result->ruled_out[i].reason);
            if (verdict) {
                ksprintf(why, "%sexpected no verdict for %s, got %s", passed ? "" : "; ", arm,
                         verdict);
                passed = 0;
            }
        }
        for (int k = 0; k < test->n_expect_ruled_out; k++) {
            const cm_expected_ruled_out *want = &test->expect_ruled_out[k];
            const cm_ruled_out *got = NULL;
            for (size_t i = 0; i < result->n_ruled_out && !got; i++)
                if (strcmp(result->ruled_out[i].arm->id, want->arm) == 0)
                    got = &result->ruled_out[i];
            if (!got || strcmp(cm_reason_name(got->reason), want->reason) != 0) {
                ksprintf(why, "%sexpected %s ruled out as %s, got %s", passed ? "" : "; ",
                         want->arm, want->reason,
                         got ? cm_reason_name(got->reason) : "no such verdict");
                passed = 0;
            }
        }
    }
    cm_matcher_free(matcher);
    cm_profile_clear(&profile);
    return status < 0 ? -1 : passed;
}

int main_test(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int verbose = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":vh", long_options, NULL)) != -1) {
        switch (c) {
        case 'v':
            verbose = 1;
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        default:
            return cm_cli_option_error("test", c, argv);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    cm_error err;
    cm_oncotree *tree = cm_oncotree_load_bundled(&err);
    if (!tree)
        return cm_cli_report(&err);
    cm_ruleset *rules = cm_ruleset_new(tree);
    kstring_t text = {0, 0, NULL};
    int status = cm_cli_load_rules(rules, (const char *const *)argv + optind, argc - optind, 1);
    if (status != 0)
        goto done;
    status = CM_EXIT_BAD_INPUT;

    long n_passed = 0, n_failed = 0;
    for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
        const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
        for (int t = 0; t < protocol->n_tests; t++) {
            const cm_rule_test *test = &protocol->tests[t];
            text.l = 0;
            int passed = run_case(rules, protocol, test, &text);
            if (passed < 0) {
                cm_cli_message("out of memory");
                goto done;
            }
            if (passed) {
                n_passed++;
                if (verbose)
                    printf("ok      %s:%d: %s\n", protocol->path, test->line, test->name);
            } else {
                n_failed++;
                printf("FAILED  %s:%d: %s: %s\n", protocol->path, test->line, test->name, text.s);
            }
        }
    }
    printf("%ld passed, %ld failed\n", n_passed, n_failed);
    status = n_failed ? CM_EXIT_BAD_INPUT : CM_EXIT_OK;
done:
    free(text.s);
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    return status;
}
