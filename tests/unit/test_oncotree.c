/*
 * Unit tests of the OncoTree module: the bundled 2025-10-03 release (paths
 * from PROTOCOLS.md "OncoTree notes", checked against the TSV), the SOLID and
 * LIQUID meta-codes, suggestions, and the loader's errors on small TSV files
 * written to a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cohortmatch/oncotree.h"

#define HEADER "code\tname\tmain_type\ttissue\tparent\tlevel\n"

// A small tree in the release's shape, for load_file.
#define SMALL_TREE                                                                                 \
    HEADER "TISSUE\tTissue\t\t\t\t0\n"                                                             \
           "LUNG\tLung\tLung Cancer\tLung\tTISSUE\t1\n"                                            \
           "NSCLC\tNon-Small Cell Lung Cancer\tNon-Small Cell Lung Cancer\tLung\tLUNG\t2\n"        \
           "LUAD\tLung Adenocarcinoma\tNon-Small Cell Lung Cancer\tLung\tNSCLC\t3\n"               \
           "MYELOID\tMyeloid\tBlood Cancer\tMyeloid\tTISSUE\t1\n"                                  \
           "MNM\tMyeloid Neoplasm\tBlood Cancer, NOS\tMyeloid\tMYELOID\t2\n"                       \
           "AML\tAcute Myeloid Leukemia\tLeukemia\tMyeloid\tMNM\t3\n"

typedef struct fixture {
    cm_oncotree *bundled;
    char dir[64];
    char paths[16][128];
    int n_paths;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    cm_error err;
    cm_error_clear(&err);
    f->bundled = cm_oncotree_load_bundled(&err);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_oncotree.XXXXXX");
    if (!f->bundled || !mkdtemp(f->dir)) {
        cm_oncotree_free(f->bundled);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < f->n_paths; i++)
        unlink(f->paths[i]);
    rmdir(f->dir);
    cm_oncotree_free(f->bundled);
    free(f);
    return 0;
}

// Writes content to dir/name and returns the path (owned by the fixture).
static const char *write_file(fixture *f, const char *name, const char *content)
{
    assert_true(f->n_paths < 16);
    char *path = f->paths[f->n_paths++];
    snprintf(path, sizeof f->paths[0], "%s/%s", f->dir, name);
    FILE *file = fopen(path, "wb");
    assert_non_null(file);
    assert_int_equal(fwrite(content, 1, strlen(content), file), strlen(content));
    assert_int_equal(fclose(file), 0);
    return path;
}

static int find(const cm_oncotree *tree, const char *code)
{
    int node = cm_oncotree_find(tree, code);
    assert_true(node >= 0);
    return node;
}

static int within(const cm_oncotree *tree, const char *code, const char *ancestor)
{
    return cm_oncotree_is_within(tree, find(tree, code), cm_oncotree_find(tree, ancestor));
}

static const char *parent_code(const cm_oncotree *tree, const char *code)
{
    return cm_oncotree_code(tree, cm_oncotree_parent(tree, find(tree, code)));
}

// Loads content as a file and checks the formatted error ("path:line: message"
// with the fixture's directory written as DIR).
static void assert_load_error(fixture *f, const char *name, const char *content, int line,
                              const char *message)
{
    const char *path = content ? write_file(f, name, content) : NULL;
    char missing[128];
    if (!path) {
        snprintf(missing, sizeof missing, "%s/%s", f->dir, name);
        path = missing;
    }
    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = cm_oncotree_load_file(path, &err);
    assert_null(tree);
    assert_string_equal(err.file, path);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.message, message);

    kstring_t expected = KS_INITIALIZE, formatted = KS_INITIALIZE;
    if (line)
        ksprintf(&expected, "%s:%d: %s", path, line, message);
    else
        ksprintf(&expected, "%s: %s", path, message);
    cm_error_format(&err, &formatted);
    assert_string_equal(formatted.s, expected.s);
    free(expected.s);
    free(formatted.s);
}

static void test_bundled_release(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    assert_string_equal(cm_oncotree_release(tree), "oncotree_2025_10_03");
    assert_int_equal(cm_oncotree_size(tree), 898);
}

static void test_lung_path(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    assert_string_equal(parent_code(tree, "LUAD"), "NSCLC");
    assert_string_equal(parent_code(tree, "NSCLC"), "LUNG");
    assert_string_equal(parent_code(tree, "LUNG"), "TISSUE");
    assert_int_equal(cm_oncotree_parent(tree, find(tree, "TISSUE")), CM_ONCOTREE_NOT_FOUND);

    assert_int_equal(within(tree, "LUAD", "LUAD"), 1);
    assert_int_equal(within(tree, "LUAD", "NSCLC"), 1);
    assert_int_equal(within(tree, "LUAD", "LUNG"), 1);
    assert_int_equal(within(tree, "LUAD", "TISSUE"), 1);
    assert_int_equal(within(tree, "LUSC", "NSCLC"), 1);
    assert_int_equal(within(tree, "NSCLC", "LUAD"), 0);
    assert_int_equal(within(tree, "LUSC", "LUAD"), 0);
    assert_int_equal(within(tree, "LUAD", "BREAST"), 0);
    assert_int_equal(within(tree, "TISSUE", "LUNG"), 0);
    assert_int_equal(within(tree, "TISSUE", "TISSUE"), 1);
}

static void test_protocol_paths(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    // SKCM < MEL < SKIN
    assert_string_equal(parent_code(tree, "SKCM"), "MEL");
    assert_string_equal(parent_code(tree, "MEL"), "SKIN");
    assert_int_equal(within(tree, "SKCM", "SKIN"), 1);
    // THPA < WDTC < THYROID
    assert_string_equal(parent_code(tree, "THPA"), "WDTC");
    assert_string_equal(parent_code(tree, "WDTC"), "THYROID");
    assert_int_equal(within(tree, "THPA", "THYROID"), 1);
    // CHOL < IPN < BILIARY_TRACT
    assert_string_equal(parent_code(tree, "CHOL"), "IPN");
    assert_string_equal(parent_code(tree, "IPN"), "BILIARY_TRACT");
    assert_int_equal(within(tree, "CHOL", "BILIARY_TRACT"), 1);
    assert_int_equal(within(tree, "CHOL", "LIVER"), 0);
    // COAD < COADREAD < BOWEL; HGSOC < SOC < OVT < OVARY
    assert_string_equal(parent_code(tree, "COAD"), "COADREAD");
    assert_string_equal(parent_code(tree, "COADREAD"), "BOWEL");
    assert_string_equal(parent_code(tree, "HGSOC"), "SOC");
    assert_string_equal(parent_code(tree, "SOC"), "OVT");
    assert_string_equal(parent_code(tree, "OVT"), "OVARY");
    assert_int_equal(within(tree, "HGSOC", "OVARY"), 1);
}

static void test_glioblastoma(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    // GB's parent is the adult-type diffuse gliomas, under DIFG < BRAIN.
    assert_string_equal(parent_code(tree, "GB"), "ADIFG");
    assert_string_equal(parent_code(tree, "ADIFG"), "DIFG");
    assert_string_equal(parent_code(tree, "DIFG"), "BRAIN");
    assert_int_equal(within(tree, "GB", "DIFG"), 1);
    assert_int_equal(within(tree, "GB", "BRAIN"), 1);
    assert_string_equal(cm_oncotree_name(tree, find(tree, "GB")), "Glioblastoma, IDH-Wildtype");
    // GBM was removed in 2025_10_03.
    assert_int_equal(cm_oncotree_find(tree, "GBM"), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_find(tree, "gbm"), CM_ONCOTREE_NOT_FOUND);
}

static void test_find_is_case_insensitive(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    int luad = find(tree, "LUAD");
    assert_int_equal(cm_oncotree_find(tree, "luad"), luad);
    assert_int_equal(cm_oncotree_find(tree, "Luad"), luad);
    assert_string_equal(cm_oncotree_code(tree, cm_oncotree_find(tree, "luad")), "LUAD");
    assert_string_equal(cm_oncotree_code(tree, cm_oncotree_find(tree, "mds/mpn")), "MDS/MPN");
    assert_string_equal(cm_oncotree_code(tree, cm_oncotree_find(tree, "hcl-v")), "HCL-V");
    assert_string_equal(cm_oncotree_code(tree, cm_oncotree_find(tree, "Biliary_Tract")),
                        "BILIARY_TRACT");
    assert_int_equal(cm_oncotree_find(tree, "LUAD "), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_find(tree, ""), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_find(tree, NULL), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_find(tree, "OV"), CM_ONCOTREE_NOT_FOUND);
}

static void test_getters(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    int luad = find(tree, "LUAD");
    assert_string_equal(cm_oncotree_code(tree, luad), "LUAD");
    assert_string_equal(cm_oncotree_name(tree, luad), "Lung Adenocarcinoma");
    assert_string_equal(cm_oncotree_tissue(tree, luad), "Lung");
    int aml = find(tree, "AML");
    assert_string_equal(cm_oncotree_name(tree, aml), "Acute Myeloid Leukemia");
    assert_string_equal(cm_oncotree_tissue(tree, aml), "Myeloid");
    int root = find(tree, "TISSUE");
    assert_string_equal(cm_oncotree_name(tree, root), "Tissue");
    assert_string_equal(cm_oncotree_tissue(tree, root), "");
    // Nodes that do not exist.
    assert_null(cm_oncotree_code(tree, CM_ONCOTREE_NOT_FOUND));
    assert_null(cm_oncotree_name(tree, 898));
    assert_null(cm_oncotree_tissue(tree, -4));
    assert_int_equal(cm_oncotree_parent(tree, 898), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_is_within(tree, CM_ONCOTREE_NOT_FOUND, root), 0);
    assert_int_equal(cm_oncotree_is_within(tree, luad, CM_ONCOTREE_NOT_FOUND), 0);
    assert_int_equal(cm_oncotree_is_within(tree, luad, 898), 0);
}

static void test_meta_nodes(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    assert_int_equal(cm_oncotree_find(tree, "SOLID"), CM_ONCOTREE_SOLID);
    assert_int_equal(cm_oncotree_find(tree, "solid"), CM_ONCOTREE_SOLID);
    assert_int_equal(cm_oncotree_find(tree, "LIQUID"), CM_ONCOTREE_LIQUID);
    assert_int_equal(cm_oncotree_find(tree, "Liquid"), CM_ONCOTREE_LIQUID);
    assert_string_equal(cm_oncotree_code(tree, CM_ONCOTREE_SOLID), "SOLID");
    assert_string_equal(cm_oncotree_code(tree, CM_ONCOTREE_LIQUID), "LIQUID");
    assert_string_equal(cm_oncotree_name(tree, CM_ONCOTREE_SOLID), "SOLID");
    assert_string_equal(cm_oncotree_name(tree, CM_ONCOTREE_LIQUID), "LIQUID");
    assert_string_equal(cm_oncotree_tissue(tree, CM_ONCOTREE_SOLID), "SOLID");
    assert_string_equal(cm_oncotree_tissue(tree, CM_ONCOTREE_LIQUID), "LIQUID");
    assert_int_equal(cm_oncotree_parent(tree, CM_ONCOTREE_SOLID), CM_ONCOTREE_NOT_FOUND);
    assert_int_equal(cm_oncotree_is_within(tree, CM_ONCOTREE_SOLID, CM_ONCOTREE_SOLID), 1);
    assert_int_equal(cm_oncotree_is_within(tree, CM_ONCOTREE_SOLID, CM_ONCOTREE_LIQUID), 0);
    assert_int_equal(cm_oncotree_is_within(tree, CM_ONCOTREE_LIQUID, find(tree, "TISSUE")), 0);
}

static void test_solid_and_liquid(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    assert_int_equal(within(tree, "LUAD", "SOLID"), 1);
    assert_int_equal(within(tree, "LUAD", "LIQUID"), 0);
    assert_int_equal(within(tree, "LUNG", "SOLID"), 1);
    assert_int_equal(within(tree, "GB", "SOLID"), 1);
    assert_int_equal(within(tree, "AML", "LIQUID"), 1);
    assert_int_equal(within(tree, "AML", "SOLID"), 0);
    assert_int_equal(within(tree, "AMLNOS", "LIQUID"), 1);
    assert_int_equal(within(tree, "CLLSLL", "LIQUID"), 1);
    assert_int_equal(within(tree, "CLLSLL", "SOLID"), 0);
    assert_int_equal(within(tree, "MYELOID", "LIQUID"), 1);
    assert_int_equal(within(tree, "LYMPH", "LIQUID"), 1);
    // The root is no tumour type: within neither.
    assert_int_equal(within(tree, "TISSUE", "SOLID"), 0);
    assert_int_equal(within(tree, "TISSUE", "LIQUID"), 0);

    // Every other code is in exactly one; LIQUID holds the 107 Myeloid and
    // 121 Lymphoid codes of the TSV's tissue column.
    size_t solid = 0, liquid = 0;
    for (int node = 0; node < (int)cm_oncotree_size(tree); node++) {
        int is_solid = cm_oncotree_is_within(tree, node, CM_ONCOTREE_SOLID);
        int is_liquid = cm_oncotree_is_within(tree, node, CM_ONCOTREE_LIQUID);
        const char *tissue = cm_oncotree_tissue(tree, node);
        assert_int_equal(is_liquid,
                         strcmp(tissue, "Myeloid") == 0 || strcmp(tissue, "Lymphoid") == 0);
        assert_int_equal(is_solid + is_liquid, strcmp(cm_oncotree_code(tree, node), "TISSUE") != 0);
        solid += (size_t)is_solid;
        liquid += (size_t)is_liquid;
    }
    assert_int_equal(solid, 669);
    assert_int_equal(liquid, 228);
}

static void assert_suggestions(const cm_oncotree *tree, const char *query, int max,
                               int expected_count, const char *expected)
{
    kstring_t out = KS_INITIALIZE;
    kputs("did you mean: ", &out);
    assert_int_equal(cm_oncotree_suggest(tree, query, max, &out), expected_count);
    kstring_t full = KS_INITIALIZE;
    ksprintf(&full, "did you mean: %s", expected);
    assert_string_equal(out.s, full.s);
    free(out.s);
    free(full.s);
}

static void test_suggest(void **state)
{
    const cm_oncotree *tree = ((fixture *)*state)->bundled;
    // A swap of two letters costs one edit; ties are alphabetical.
    assert_suggestions(tree, "LUDA", 5, 2, "LUAD, LUCA");
    assert_suggestions(tree, "luda", 5, 2, "LUAD, LUCA");
    assert_suggestions(tree, "NSLC", 5, 1, "NSCLC");
    assert_suggestions(tree, "GBM", 5, 2, "GB, GBC");
    assert_suggestions(tree, "GBM", 1, 1, "GB");
    assert_suggestions(tree, "SOLD", 5, 1, "SOLID");
    // Names: the name equal to the query first, then shallower codes.
    assert_suggestions(tree, "melanoma", 3, 3, "MEL, ARMM, ESMM");
    assert_suggestions(tree, "Cholangiocarcinoma", 2, 2, "CHOL, HCCIHCH");
    assert_suggestions(tree, "glioblastoma", 5, 2, "GB, SCGBM");
    // Nothing close, nothing asked.
    assert_suggestions(tree, "QQQQQQQQ", 5, 0, "");
    assert_suggestions(tree, "LUDA", 0, 0, "");
    assert_suggestions(tree, "", 5, 0, "");
}

static void test_load_file(void **state)
{
    fixture *f = *state;
    const char *path = write_file(f, "small_tree.tsv", SMALL_TREE);
    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = cm_oncotree_load_file(path, &err);
    assert_non_null(tree);
    assert_int_equal(cm_error_is_set(&err), 0);
    assert_string_equal(cm_oncotree_release(tree), "small_tree");
    assert_int_equal(cm_oncotree_size(tree), 7);
    assert_int_equal(within(tree, "luad", "LUNG"), 1);
    assert_int_equal(within(tree, "LUAD", "SOLID"), 1);
    assert_int_equal(within(tree, "AML", "LIQUID"), 1);
    assert_int_equal(within(tree, "AML", "LUNG"), 0);
    assert_int_equal(within(tree, "TISSUE", "SOLID"), 0);
    assert_string_equal(cm_oncotree_name(tree, find(tree, "NSCLC")), "Non-Small Cell Lung Cancer");
    assert_string_equal(parent_code(tree, "AML"), "MNM");
    cm_oncotree_free(tree);

    // Windows line ends, blank lines and a missing final newline are accepted;
    // the release drops only the last extension.
    path = write_file(f, "crlf.tree.tsv",
                      "code\tname\tmain_type\ttissue\tparent\tlevel\r\n"
                      "TISSUE\tTissue\t\t\t\t0\r\n\r\n"
                      "LUNG\tLung\tLung Cancer\tLung\tTISSUE\t1");
    tree = cm_oncotree_load_file(path, &err);
    assert_non_null(tree);
    assert_string_equal(cm_oncotree_release(tree), "crlf.tree");
    assert_int_equal(cm_oncotree_size(tree), 2);
    cm_oncotree_free(tree);
    cm_oncotree_free(NULL);
}

static void test_load_file_errors(void **state)
{
    fixture *f = *state;
    assert_load_error(f, "missing.tsv", NULL, 0, "cannot open the file: No such file or directory");
    assert_load_error(f, "empty.tsv", "", 0, "empty file");
    assert_load_error(f, "blank.tsv", "\n\r\n", 0, "empty file");

    cm_error err;
    cm_error_clear(&err);
    assert_null(cm_oncotree_load_file(f->dir, &err));
    assert_string_equal(err.file, f->dir);
    assert_string_equal(err.message, "cannot read the file: Is a directory");

    assert_load_error(f, "header_only.tsv", HEADER, 0, "no codes after the header");
    assert_load_error(f, "columns.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "LUNG\tLung\tLung Cancer\tTISSUE\t1\n",
                      3, "expected 6 tab-separated columns, found 5");
    assert_load_error(f, "header.tsv", "code\tname\tmainType\ttissue\tparent\tlevel\n", 1,
                      "expected the header 'code name main_type tissue parent level' "
                      "(tab-separated), found 'mainType' in column 3");
    assert_load_error(f, "parent.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "LUNG\tLung\tLung Cancer\tLung\tTISSUE\t1\n"
                             "LUAD\tLung Adenocarcinoma\tNSCLC\tLung\tNSCLC\t3\n",
                      4, "unknown parent 'NSCLC' of code 'LUAD'");
    assert_load_error(f, "duplicate.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "LUNG\tLung\tLung Cancer\tLung\tTISSUE\t1\n"
                             "lung\tLung again\tLung Cancer\tLung\tTISSUE\t1\n",
                      4, "duplicate code 'lung' (first on line 3)");
    assert_load_error(f, "cycle.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "A\tA\tA\tA\tC\t1\n"
                             "B\tB\tB\tB\tA\t2\n"
                             "C\tC\tC\tC\tB\t3\n",
                      3, "cycle of parents: A < C < B < A");
    assert_load_error(f, "self.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "A\tA\tA\tA\tA\t1\n",
                      3, "cycle of parents: A < A");
    assert_load_error(f, "roots.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "LUNG\tLung\tLung Cancer\tLung\t\t1\n",
                      3, "second root 'LUNG' (empty parent); the root is 'TISSUE' (line 2)");
    assert_load_error(f, "reserved.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "Solid\tSolid\tSolid\tSolid\tTISSUE\t1\n",
                      3, "code 'Solid' is reserved for the meta-code SOLID");
    assert_load_error(f, "level.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "LUNG\tLung\tLung Cancer\tLung\tTISSUE\tone\n",
                      3, "level 'one' of code 'LUNG' is not a number");
    assert_load_error(f, "code.tsv",
                      HEADER "TISSUE\tTissue\t\t\t\t0\n"
                             "\tLung\tLung Cancer\tLung\tTISSUE\t1\n",
                      3, "empty code");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bundled_release),
        cmocka_unit_test(test_lung_path),
        cmocka_unit_test(test_protocol_paths),
        cmocka_unit_test(test_glioblastoma),
        cmocka_unit_test(test_find_is_case_insensitive),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_meta_nodes),
        cmocka_unit_test(test_solid_and_liquid),
        cmocka_unit_test(test_suggest),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_file_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
