/*
 * cohortmatch list: the arms of rule files as a table (TSV, or Markdown for
 * docs/protocols.md), written from the compiled rules so that the published
 * tables cannot drift from what the matcher uses; with --network, the drug x
 * country matrix of the protocols (docs/network.md); or, with --tumour-types,
 * the OncoTree codes the tool knows (what shell completion offers for -t).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cohortmatch/network.h"
#include "cohortmatch/rules.h"

static void usage(FILE *fp)
{
    fprintf(fp, "\n"
                "About:   List the arms of rule files: drugs, biomarker, tumour types, source.\n"
                "Usage:   cohortmatch list [options] <rules.yaml|dir>...\n"
                "         cohortmatch list --tumour-types [-o FILE]\n"
                "\n"
                "Options:\n"
                "    -m, --markdown        Markdown tables, one per protocol [TSV]\n"
                "    -n, --network         the drug x country matrix of the protocols instead\n"
                "        --tumour-types    the bundled OncoTree codes instead (TSV: code, name,\n"
                "                          tissue)\n"
                "    -o, --output FILE     write here, atomically [stdout]\n"
                "    -h, --help            this help\n"
                "\n");
}

/// Writes text for a Markdown table cell or a TSV field: no line breaks, no separators.
static void put_cell(FILE *fp, const char *text, int markdown)
{
    for (const char *p = text ? text : ""; *p; p++) {
        if (*p == '\n' || *p == '\t' || *p == '\r')
            fputc(' ', fp);
        else if (markdown && *p == '|')
            fputs("\\|", fp);
        else
            fputc(*p, fp);
    }
}

static void put_codes(const cm_oncotree *tree, const int *nodes, int n, kstring_t *out)
{
    for (int i = 0; i < n; i++) {
        if (i)
            kputs(", ", out);
        kputs(cm_oncotree_code(tree, nodes[i]), out);
    }
}

static void write_arm(FILE *fp, const cm_ruleset *rules, const cm_arm *arm, int markdown,
                      kstring_t *cell)
{
    const cm_oncotree *tree = cm_ruleset_oncotree(rules);
    const char *sep = markdown ? " | " : "\t";
    if (markdown)
        fputs("| ", fp);
    else {
        put_cell(fp, arm->protocol->id, 0);
        fputs(sep, fp);
    }
    put_cell(fp, arm->id, markdown);
    fputs(sep, fp);
    cell->l = 0;
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i)
            kputs(" + ", cell);
        kputs(arm->drugs[i], cell);
    }
    put_cell(fp, cell->s, markdown);
    fputs(sep, fp);
    cell->l = 0;
    cm_expr_describe(rules, arm->match, 1, cell);
    put_cell(fp, cell->s, markdown);
    fputs(sep, fp);
    cell->l = 0;
    cm_expr_describe(rules, arm->exclude, 1, cell);
    put_cell(fp, cell->l ? cell->s : (markdown ? "" : "."), markdown);
    fputs(sep, fp);
    cell->l = 0;
    put_codes(tree, arm->include_nodes, arm->n_include, cell);
    put_cell(fp, cell->l ? cell->s : "every type", markdown);
    fputs(sep, fp);
    cell->l = 0;
    put_codes(tree, arm->exclude_nodes, arm->n_exclude, cell);
    put_cell(fp, cell->l ? cell->s : (markdown ? "" : "."), markdown);
    fputs(sep, fp);
    cell->l = 0;
    if (arm->escat)
        ksprintf(cell, "ESCAT %s", arm->escat);
    if (arm->oncokb)
        ksprintf(cell, "%sOncoKB %s", arm->escat ? ", " : "", arm->oncokb);
    put_cell(fp, cell->l ? cell->s : (markdown ? "" : "."), markdown);
    fputs(sep, fp);
    put_cell(fp, arm->source, markdown);
    fputs(markdown ? " |\n" : "\n", fp);
}

static void write_protocol_heading(FILE *fp, const cm_protocol *protocol)
{
    fprintf(fp, "## %s", protocol->id);
    if (protocol->name)
        fprintf(fp, " — %s", protocol->name);
    fputs("\n\n", fp);
    if (protocol->n_registry) {
        fputs("Registry: ", fp);
        for (int i = 0; i < protocol->n_registry; i++)
            fprintf(fp, "%s%s", i ? ", " : "", protocol->registry[i]);
        fputs(". ", fp);
    }
    if (protocol->version)
        fprintf(fp, "Version: %s. ", protocol->version);
    fprintf(fp, "Rule file: `%s`.\n\n", protocol->path);
    if (protocol->source) {
        fputs("Source: ", fp);
        put_cell(fp, protocol->source, 1);
        fputs("\n\n", fp);
    }
    fputs("| arm | drugs | biomarker | excluded by | tumour types | not in | evidence | source |\n"
          "| --- | --- | --- | --- | --- | --- | --- | --- |\n",
          fp);
}

/// Writes every real code of the tree, in the tree's order: code, name, tissue.
static void write_tumour_types(FILE *fp, const cm_oncotree *tree)
{
    fputs("code\tname\ttissue\n", fp);
    for (size_t node = 0; node < cm_oncotree_size(tree); node++) {
        put_cell(fp, cm_oncotree_code(tree, (int)node), 0);
        fputc('\t', fp);
        put_cell(fp, cm_oncotree_name(tree, (int)node), 0);
        fputc('\t', fp);
        put_cell(fp, cm_oncotree_tissue(tree, (int)node), 0);
        fputc('\n', fp);
    }
}

// "PROTOCOL: BIOMARKER" for each arm of row in country (code "" = none), joined by "; ".
static void network_cell(const cm_ruleset *rules, const cm_drug_row *row, const char *country,
                         kstring_t *cell)
{
    cell->l = 0;
    for (size_t i = 0; i < row->n_arms; i++) {
        const cm_arm *arm = row->arms[i];
        const char *code = arm->protocol->country ? arm->protocol->country : "";
        if (strcmp(code, country) != 0)
            continue;
        if (cell->l)
            kputs("; ", cell);
        ksprintf(cell, "%s: ", arm->protocol->id);
        cm_expr_describe(rules, arm->match, 0, cell);
        if (arm->criteria == CM_CRITERIA_INFERRED)
            kputc('*', cell);
        if (arm->protocol->is_closed)
            kputs(" (closed)", cell);
    }
}

static void put_design(FILE *fp, const cm_design *design)
{
    if (design->n_stages > 0) {
        for (int i = 0; i < design->n_stages; i++)
            fprintf(fp, "%s%d", i ? " -> " : "stages ", design->stages[i]);
    } else if (design->cohort_size > 0) {
        fprintf(fp, "%d per cohort", design->cohort_size);
    }
}

static void put_age(FILE *fp, double min, double max)
{
    if (min == min && max == max)
        fprintf(fp, "%g-%g", min, max);
    else if (min == min)
        fprintf(fp, ">= %g", min);
    else if (max == max)
        fprintf(fp, "<= %g", max);
}

/// The network view of rule files: with markdown, docs/network.md (the trials, then the
/// matrix); else the matrix as TSV.
static int write_network(FILE *fp, const cm_ruleset *rules, int markdown)
{
    cm_drug_matrix matrix;
    if (cm_drug_matrix_build(rules, &matrix) < 0)
        return -1;
    const char *sep = markdown ? " | " : "\t";
    if (markdown) {
        fputs("# The network\n\n"
              "Generated from the rule files by `cohortmatch list --network --markdown`; do not "
              "edit by\nhand. Every bundled protocol, where it runs and how its cohorts fill, "
              "then which\ndrugs it gives in which country. Rule language: [rules.md](rules.md); "
              "each arm in\nfull: [protocols.md](protocols.md).\n\n"
              "## Trials\n\n"
              "| protocol | country | network | status | design | age | registry | arms |\n"
              "| --- | --- | --- | --- | --- | --- | --- | --- |\n",
              fp);
        for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
            const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
            fprintf(fp, "| %s | %s | %s | %s | ", protocol->id,
                    protocol->country ? protocol->country : "",
                    protocol->network ? protocol->network : "",
                    protocol->is_closed ? "closed" : "open");
            put_design(fp, &protocol->design);
            fputs(" | ", fp);
            int limited = 0;
            for (int a = 0; a < protocol->n_arms; a++)
                limited += protocol->arms[a].has_age_limit;
            if (protocol->has_age_limit)
                put_age(fp, protocol->age_min, protocol->age_max);
            else if (limited)
                fputs("per arm", fp);
            fputs(" | ", fp);
            for (int i = 0; i < protocol->n_registry; i++)
                fprintf(fp, "%s%s", i ? ", " : "", protocol->registry[i]);
            fprintf(fp, " | %d |\n", protocol->n_arms);
        }
        fputs("\n## Drugs by country\n\n"
              "Each cell names the protocols that give the drugs in that country, with the\n"
              "biomarker of the arm (named alterations as the rule file names them). `*`: the\n"
              "biomarker is inferred, not stated by the trial (`criteria: inferred`);\n"
              "`(closed)`: the protocol enrols no one.\n\n",
              fp);
    }
    fputs(markdown ? "| drugs" : "drugs", fp);
    for (size_t c = 0; c < matrix.n_countries; c++)
        fprintf(fp, "%s%s", sep, matrix.countries[c][0] ? matrix.countries[c] : "no country");
    fputs(markdown ? " |\n" : "\n", fp);
    if (markdown) {
        fputs("| ---", fp);
        for (size_t c = 0; c < matrix.n_countries; c++)
            fputs(" | ---", fp);
        fputs(" |\n", fp);
    }
    kstring_t cell = {0, 0, NULL};
    for (size_t r = 0; r < matrix.n_rows; r++) {
        const cm_drug_row *row = &matrix.rows[r];
        cell.l = 0;
        for (int i = 0; i < row->arms[0]->n_drugs; i++)
            ksprintf(&cell, "%s%s", i ? " + " : "", row->arms[0]->drugs[i]);
        if (markdown)
            fputs("| ", fp);
        put_cell(fp, cell.s, markdown);
        for (size_t c = 0; c < matrix.n_countries; c++) {
            fputs(sep, fp);
            network_cell(rules, row, matrix.countries[c], &cell);
            put_cell(fp, cell.l ? cell.s : (markdown ? "" : "."), markdown);
        }
        fputs(markdown ? " |\n" : "\n", fp);
    }
    free(cell.s);
    cm_drug_matrix_clear(&matrix);
    return 0;
}

enum { OPTION_TUMOUR_TYPES = 1000 };

int main_list(int argc, char **argv)
{
    static const struct option long_options[] = {
        {"markdown", no_argument, NULL, 'm'},
        {"tumour-types", no_argument, NULL, OPTION_TUMOUR_TYPES},
        {"network", no_argument, NULL, 'n'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int markdown = 0, tumour_types = 0, network = 0, c;
    const char *output = NULL;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":mno:h", long_options, NULL)) != -1) {
        switch (c) {
        case 'm':
            markdown = 1;
            break;
        case 'n':
            network = 1;
            break;
        case OPTION_TUMOUR_TYPES:
            tumour_types = 1;
            break;
        case 'o':
            output = optarg;
            break;
        case 'h':
            usage(stdout);
            return CM_EXIT_OK;
        default:
            return cm_cli_option_error("list", c, argv);
        }
    }
    if (tumour_types && (markdown || network || optind < argc))
        return cm_cli_usage_error("list",
                                  "--tumour-types takes no rule files, --markdown or --network");
    if (!tumour_types && optind >= argc) {
        usage(stderr);
        return CM_EXIT_USAGE;
    }
    cm_error err;
    cm_error_clear(&err);
    cm_oncotree *tree = cm_oncotree_load_bundled(&err);
    if (!tree)
        return cm_cli_report(&err);
    if (tumour_types) {
        cm_output out = {0};
        int status = 0;
        if (cm_output_open(&out, output, &err) < 0)
            status = cm_cli_report(&err);
        else {
            write_tumour_types(out.fp, tree);
            if (cm_output_commit(&out, &err) < 0)
                status = cm_cli_report(&err);
        }
        cm_oncotree_free(tree);
        return status;
    }
    cm_ruleset *rules = cm_ruleset_new(tree);
    int status = cm_cli_load_rules(rules, (const char *const *)argv + optind, argc - optind, 0);
    cm_output out = {0};
    if (status == 0 && cm_output_open(&out, output, &err) < 0)
        status = cm_cli_report(&err);
    if (status == 0 && network) {
        if (write_network(out.fp, rules, markdown) < 0)
            status = cm_cli_report(&err), cm_error_set(&err, NULL, 0, 0, "out of memory");
        if (status == 0 && cm_output_commit(&out, &err) < 0)
            status = cm_cli_report(&err);
    } else if (status == 0) {
        kstring_t cell = {0, 0, NULL};
        if (markdown)
            fputs("# Protocols\n\n"
                  "Generated from the rule files by `cohortmatch list --markdown`; do not edit by "
                  "hand.\nEach arm's biomarker is written out from the compiled rules, so this "
                  "table is\nwhat the matcher uses. Rule language: [rules.md](rules.md).\n\n",
                  out.fp);
        else
            fputs("protocol\tarm\tdrugs\tbiomarker\texcluded_by\ttumour_types\tnot_in\tevidence\t"
                  "source\n",
                  out.fp);
        for (size_t p = 0; p < cm_ruleset_n_protocols(rules); p++) {
            const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
            if (markdown)
                write_protocol_heading(out.fp, protocol);
            for (int a = 0; a < protocol->n_arms; a++)
                write_arm(out.fp, rules, &protocol->arms[a], markdown, &cell);
            if (markdown)
                fputc('\n', out.fp);
        }
        free(cell.s);
        if (cm_output_commit(&out, &err) < 0)
            status = cm_cli_report(&err);
    }
    cm_ruleset_free(rules);
    cm_oncotree_free(tree);
    return status;
}
