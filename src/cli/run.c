/*
 * The one path every command that matches reads its inputs by (match, and
 * summarize for a cohort): open each input through the input layer, link
 * them, build each sample's profile (command line > sample sheet > the files'
 * facts, every disagreement a conflict), stream every alteration through one
 * matcher, and total what was read and skipped. Wiring only: reading is
 * src/input/'s, precedence profile.c's, matching match.c's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <htslib/kstring.h>

#include "cli.h"
#include "cohortmatch/input.h"
#include "cohortmatch/rules.h"
#include "cohortmatch/tmb.h"

/// The profiles of a run (cli.h): one per sample, each allocated on its own so that the
/// matcher can hold pointers to them while more are added (an input that names samples while
/// streaming).
typedef cm_cli_profiles profile_list;

static void free_profiles(profile_list *list)
{
    for (size_t i = 0; i < list->n; i++) {
        cm_profile_clear(list->items[i]);
        free(list->items[i]);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

/// Adds the profile of a sample named name: the command line's facts, then its sample-sheet
/// row (a lower origin: a disagreement is a conflict, the command line wins). Returns the new
/// profile, or NULL with err filled.
static cm_sample_profile *add_profile(profile_list *list, const cm_cli_run_options *opt,
                                      const char *name, int is_cohort, cm_error *err)
{
    const cm_sample_sheet *sheet = opt->sheet;
    const cm_sample_profile *cli = opt->cli;
    const cm_oncotree *tree = opt->tree;
    const cm_sample_profile *row = sheet->n ? cm_sample_sheet_find(sheet, name) : NULL;
    // A cohort input names only the samples it has a tumour type for (from the sheet, -t or
    // its clinical file): one the sheet does not list is not an error.
    if (sheet->n && !row && !opt->tumour_type && !is_cohort) {
        cm_error_set(err, opt->sheet_path, 0, 0, "sample '%s' is not in the sheet", name);
        return NULL;
    }
    if (list->n == list->m) {
        size_t m = list->m ? list->m * 2 : 4;
        cm_sample_profile **items = realloc(list->items, m * sizeof *items);
        if (!items) {
            cm_error_set(err, NULL, 0, 0, "out of memory");
            return NULL;
        }
        list->items = items;
        list->m = m;
    }
    cm_sample_profile *profile = malloc(sizeof *profile);
    if (!profile || cm_profile_init(profile, name) < 0) {
        free(profile);
        cm_error_set(err, NULL, 0, 0, "out of memory");
        return NULL;
    }
    list->items[list->n++] = profile;
    if (cm_profile_merge(profile, cli, tree, err) < 0 ||
        (row && cm_profile_merge(profile, row, tree, err) < 0))
        return NULL;
    return profile;
}

/// Hands the reader the genes and `variant:` positions of the compiled rules, so that it can
/// skip records no rule can match before their full parse. A leaf that names neither a gene
/// nor a position can match any record: then nothing is skipped. Returns 0, or -1 when out
/// of memory.
static int set_gene_filter(cm_input *input, const cm_ruleset *rules)
{
    const char **genes;
    int64_t *positions;
    size_t n_genes, n_positions;
    int found = cm_cli_rule_genes(rules, &genes, &n_genes, &positions, &n_positions);
    if (found <= 0)
        return found;
    int status = cm_input_set_gene_filter(input, genes, n_genes, positions, n_positions);
    free(genes);
    free(positions);
    return status;
}

/// The progress line on a terminal: records, position and speed, at most 4 times a second.
typedef struct progress {
    int is_on;
    double start, last;
    int printed;
} progress;

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void progress_show(progress *p, cm_input *input, uint64_t done, int is_last)
{
    double now = seconds_now();
    if (!is_last && now - p->last < 0.25)
        return;
    if (is_last && !p->printed)
        return;
    p->last = now;
    p->printed = 1;
    unsigned long long records = (unsigned long long)(done + cm_input_get_stats(input)->records);
    double elapsed = now - p->start, speed = elapsed > 0 ? (double)records / elapsed : 0.0;
    // At the end the reader has no current record: the last line has no position.
    char chrom[64];
    cm_vcf_reader *reader = cm_input_vcf_reader(input);
    int64_t pos = is_last || !reader ? 0 : cm_vcf_position(reader, chrom, sizeof chrom);
    if (pos > 0)
        fprintf(stderr, "\r%llu records, at %s:%lld, %.0f records/s\033[K", records, chrom,
                (long long)pos, speed);
    else
        fprintf(stderr, "\r%llu records, %.0f records/s\033[K%s", records, speed,
                is_last ? "\n" : "");
    fflush(stderr);
}

/// Coordinate rules name their genome build; on a VCF of the other build they cannot match
/// (the matcher skips them) and the user is told once per leaf.
static void warn_builds(const cm_ruleset *rules, cm_genome_build vcf_build, const char *input)
{
    if (vcf_build == CM_BUILD_UNKNOWN)
        return;
    for (size_t i = 0; i < cm_ruleset_n_leaves(rules); i++) {
        const cm_leaf *leaf = cm_ruleset_leaf(rules, (int)i);
        for (int k = 0; k < leaf->n_variants; k++)
            if (leaf->variants[k].build != CM_BUILD_UNKNOWN &&
                leaf->variants[k].build != vcf_build) {
                cm_cli_message("warning: %s:%d:%d: variant %s:%lld:%s:%s is %s but %s is %s; "
                               "it cannot match",
                               leaf->file, leaf->line, leaf->column, leaf->variants[k].chrom,
                               leaf->variants[k].pos, leaf->variants[k].ref, leaf->variants[k].alt,
                               cm_genome_build_name(leaf->variants[k].build), input,
                               cm_genome_build_name(vcf_build));
                break;
            }
    }
}

/// The skip counts of a run: the VCF reader's causes always (in their order), then any other
/// cause an input counts, in the order first met, summed over inputs.
typedef struct skip_totals {
    cm_count *items;
    size_t n, m;
} skip_totals;

static int add_skip(skip_totals *totals, const char *name, long value)
{
    for (size_t i = 0; i < totals->n; i++)
        if (strcmp(totals->items[i].name, name) == 0) {
            totals->items[i].value += value;
            return 0;
        }
    if (totals->n == totals->m) {
        size_t m = totals->m ? totals->m * 2 : 16;
        cm_count *items = realloc(totals->items, m * sizeof *items);
        if (!items)
            return -1;
        totals->items = items;
        totals->m = m;
    }
    totals->items[totals->n++] = (cm_count){name, value};
    return 0;
}

/// Several inputs are one patient: each must give one sample. Prints the usage error and
/// returns CM_EXIT_USAGE, or returns 0.
static int check_one_sample_each(const char *command, cm_input *const *inputs, size_t n)
{
    if (n < 2)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t samples = cm_input_n_samples(inputs[i]);
        if (samples == 1)
            continue;
        kstring_t names = {0, 0, NULL};
        for (size_t k = 0; k < samples && k < 10; k++) {
            const char *name = cm_input_sample_name(inputs[i], k);
            ksprintf(&names, "%s%s", k ? ", " : "", name ? name : "?");
        }
        int status = cm_cli_usage_error(
            command,
            "several inputs are one patient, but %s has %zu samples (%s): select one with -s",
            cm_input_path(inputs[i]), samples, names.s ? names.s : "none");
        free(names.s);
        return status;
    }
    return 0;
}

/// The name of the one patient of several inputs: --sample-name, else the first input that
/// names a sample. Every other name an input gives is recorded as a conflict.
static const char *patient_name(const cm_cli_run_options *opt, cm_input *const *inputs, size_t n)
{
    if (opt->sample_name)
        return opt->sample_name;
    for (size_t i = 0; i < n; i++) {
        const char *name = cm_input_sample_name(inputs[i], 0);
        if (name && strcmp(name, ".") != 0)
            return name;
    }
    return "sample";
}

static int record_name_conflicts(cm_sample_profile *profile, const cm_cli_run_options *opt,
                                 cm_input *const *inputs, size_t n)
{
    const char *used_from = NULL;
    if (opt->sample_name) {
        used_from = "--sample-name";
    } else {
        for (size_t i = 0; i < n && !used_from; i++) {
            const char *name = cm_input_sample_name(inputs[i], 0);
            if (name && strcmp(name, ".") != 0)
                used_from = cm_input_path(inputs[i]);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = cm_input_sample_name(inputs[i], 0);
        if (!name || strcmp(name, ".") == 0 || strcmp(name, profile->name) == 0)
            continue;
        if (cm_profile_add_conflict(profile, "sample", profile->name, used_from, name,
                                    cm_input_path(inputs[i])) < 0)
            return -1;
    }
    return 0;
}

/// A cohort input (MAF, cBioPortal study) among the inputs, by what the input layer opened.
static int has_cohort(cm_input *const *inputs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cm_input_format format = cm_input_get_format(inputs[i]);
        if (format == CM_INPUT_MAF || format == CM_INPUT_CBIOPORTAL)
            return 1;
    }
    return 0;
}

/// Reads every alteration of every input into the matcher, naming the profiles of a single
/// input's samples as they appear. Returns 0, an exit status after printing a usage error, or
/// -1 with err filled.
static int read_inputs(cm_cli_run *run, const cm_cli_run_options *opt, cm_genome_build build,
                       int is_one_patient, int is_cohort, cm_error *err)
{
    const char *no_prefilter = getenv("COHORTMATCH_NO_PREFILTER");
    progress meter = {!opt->quiet && opt->show_progress && isatty(STDERR_FILENO), 0, 0, 0};
    meter.start = meter.last = seconds_now();
    uint64_t records_before = 0;
    profile_list *profiles = &run->profiles;
    for (size_t i = 0; i < run->n_inputs; i++) {
        cm_input *input = run->inputs[i];
        // Computing TMB needs every record, not only those of the rules' genes.
        if (!opt->no_prefilter && !(no_prefilter && *no_prefilter) && !run->tmb &&
            set_gene_filter(input, opt->rules) < 0)
            return cm_error_set(err, NULL, 0, 0, "out of memory");
        const cm_alteration *alterations;
        size_t n_alterations;
        int got;
        do {
            got = cm_input_next(input, &alterations, &n_alterations, err);
            if (got < 0)
                break;
            // A single input's samples (a multi-sample VCF; a cohort file names them as it
            // goes, its genome build known from its first row that states one).
            while (!is_one_patient && profiles->n < cm_input_n_samples(input)) {
                const char *name = cm_input_sample_name(input, profiles->n);
                cm_sample_profile *profile =
                    add_profile(profiles, opt, name ? name : "sample", is_cohort, err);
                if (!profile || cm_matcher_add_sample(run->matcher, profile) < 0)
                    return cm_error_is_set(err) ? -1
                                                : cm_error_set(err, NULL, 0, 0, "out of memory");
            }
            if (cm_input_genome_build(input) != CM_BUILD_UNKNOWN &&
                cm_input_genome_build(input) != build) {
                build = cm_input_genome_build(input);
                cm_matcher_set_genome_build(run->matcher, build);
            }
            for (size_t k = 0; got > 0 && k < n_alterations; k++) {
                if (!is_one_patient && (size_t)alterations[k].sample >= profiles->n)
                    return cm_error_set(err, cm_input_path(input), 0, 0,
                                        "an alteration of sample %d, which the input has not "
                                        "named",
                                        alterations[k].sample);
                if (cm_matcher_add(run->matcher, &alterations[k]) < 0 ||
                    (run->tmb && cm_tmb_add(run->tmb, &alterations[k]) < 0))
                    return cm_error_set(err, NULL, 0, 0, "out of memory");
            }
            if (got > 0 && meter.is_on && (cm_input_get_stats(input)->records & 0x3fff) == 0)
                progress_show(&meter, input, records_before, 0);
        } while (got > 0);
        if (got < 0)
            return -1;
        if (is_one_patient && cm_input_n_samples(input) > 1)
            return check_one_sample_each(opt->command, &run->inputs[i], 1);
        if (!opt->quiet && cm_input_study(input))
            cm_cli_warn_study(cm_input_study(input), cm_input_path(input), opt->tree);
        const cm_input_stats *stats = cm_input_get_stats(input);
        records_before += stats->records;
        run->listed[i] = (cm_report_input){cm_input_path(input),
                                           cm_input_format_name(cm_input_get_format(input)),
                                           (long)stats->records};
    }
    if (meter.is_on)
        progress_show(&meter, run->inputs[run->n_inputs - 1], records_before, 1);
    return 0;
}

/// Offers the facts the files hold, with their sources (below the command line and the
/// sheet), then a TMB computed from the alterations where no source gave one. Returns 0, or
/// -1 with err filled.
static int offer_file_facts(cm_cli_run *run, const cm_cli_run_options *opt, int is_one_patient,
                            cm_error *err)
{
    const profile_list *profiles = &run->profiles;
    for (size_t i = 0; i < run->n_inputs; i++) {
        size_t n_facts;
        const cm_input_fact *facts = cm_input_facts(run->inputs[i], &n_facts);
        for (size_t k = 0; k < n_facts; k++) {
            size_t sample = is_one_patient ? 0 : (size_t)facts[k].sample;
            if (sample >= profiles->n)
                continue;
            if (cm_profile_offer(profiles->items[sample], opt->tree, facts[k].name, facts[k].value,
                                 CM_ORIGIN_FILE, facts[k].where, err) < 0) {
                cm_error_locate(err, cm_input_path(run->inputs[i]), 0);
                return -1;
            }
        }
    }
    for (size_t i = 0; run->tmb && i < profiles->n; i++)
        if (profiles->items[i]->sources[CM_FACT_TMB].origin == CM_ORIGIN_NONE) {
            char text[64];
            snprintf(text, sizeof text, "%.17g", cm_tmb_value(run->tmb, i, opt->panel_size));
            if (cm_profile_offer(profiles->items[i], opt->tree, "tmb", text, CM_ORIGIN_COMPUTED,
                                 NULL, err) < 0)
                return -1;
        }
    for (size_t i = 0; i < profiles->n; i++)
        if (!profiles->items[i]->tumour_type)
            return cm_error_set(err, NULL, 0, 0,
                                "sample '%s' has no tumour type: give -t CODE or a sample-sheet "
                                "row",
                                profiles->items[i]->name);
    return 0;
}

/// The run's skip counts: the VCF reader's causes (for a patient's files), every input's, then
/// the matcher's quality gates. Returns 0, or -1 when out of memory.
static int total_skips(cm_cli_run *run, int is_cohort)
{
    skip_totals skipped = {run->skipped, run->n_skipped, run->m_skipped};
    int status = 0;
    for (int cause = 0; status == 0 && !is_cohort && cause < CM_VCF_SKIP_COUNT; cause++)
        status = add_skip(&skipped, cm_vcf_skip_name((cm_vcf_skip)cause), 0);
    for (size_t i = 0; status == 0 && i < run->n_inputs; i++) {
        const cm_input_stats *stats = cm_input_get_stats(run->inputs[i]);
        run->records += (long)stats->records;
        run->alterations += (long)stats->alterations;
        for (size_t k = 0; status == 0 && k < stats->n_skipped; k++)
            status = add_skip(&skipped, stats->skipped[k].name, (long)stats->skipped[k].value);
    }
    cm_gate_counts gates = cm_matcher_gate_counts(run->matcher);
    if (status == 0)
        status = add_skip(&skipped, "filtered", gates.filtered) < 0 ||
                         add_skip(&skipped, "below_vaf", gates.below_vaf) < 0 ||
                         add_skip(&skipped, "below_depth", gates.below_depth) < 0
                     ? -1
                     : 0;
    run->skipped = skipped.items;
    run->n_skipped = skipped.n;
    run->m_skipped = skipped.m;
    return status;
}

int cm_cli_run_inputs(cm_cli_run *run, char *const *paths, size_t n_paths,
                      const cm_cli_run_options *opt, cm_error *err)
{
    memset(run, 0, sizeof *run);
    run->inputs = calloc(n_paths ? n_paths : 1, sizeof *run->inputs);
    run->listed = calloc(n_paths ? n_paths : 1, sizeof *run->listed);
    if (!run->inputs || !run->listed)
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n_paths; i++) {
        cm_input_options input_options = opt->input;
        input_options.index = (int)i;
        if (!(run->inputs[i] = cm_input_open(paths[i], &input_options, err)))
            return -1;
        run->n_inputs++;
    }
    if (cm_input_link(run->inputs, run->n_inputs, err) != 0)
        return -1;
    int status = check_one_sample_each(opt->command, run->inputs, run->n_inputs);
    if (status != 0)
        return status;
    int is_cohort = has_cohort(run->inputs, run->n_inputs);
    // Several inputs, or a --sample-name: one patient, one profile. One input alone: one
    // profile per sample it names (a multi-sample VCF; a cohort file).
    int is_one_patient = run->n_inputs > 1 || opt->sample_name;
    if (opt->sample_name && run->n_inputs == 1 && cm_input_n_samples(run->inputs[0]) > 1)
        return cm_cli_usage_error(
            opt->command,
            "--sample-name names one patient, but %s has %zu samples: select one with -s",
            cm_input_path(run->inputs[0]), cm_input_n_samples(run->inputs[0]));
    cm_genome_build build = CM_BUILD_UNKNOWN;
    for (size_t i = 0; i < run->n_inputs && build == CM_BUILD_UNKNOWN; i++)
        build = cm_input_genome_build(run->inputs[i]);
    if (!opt->quiet)
        warn_builds(opt->rules, build, paths[0]);
    if (!(run->matcher = cm_matcher_new(opt->rules, NULL, 0, opt->gates)))
        return cm_error_set(err, NULL, 0, 0, "out of memory");
    cm_matcher_set_genome_build(run->matcher, build);
    if (is_one_patient) {
        const char *name = patient_name(opt, run->inputs, run->n_inputs);
        cm_sample_profile *profile = add_profile(&run->profiles, opt, name, is_cohort, err);
        if (!profile || record_name_conflicts(profile, opt, run->inputs, run->n_inputs) < 0 ||
            cm_matcher_add_sample(run->matcher, profile) < 0)
            status = cm_error_is_set(err) ? -1 : cm_error_set(err, NULL, 0, 0, "out of memory");
    }
    // Only the HTML page shows every alteration in a rule gene: other formats keep less.
    cm_matcher_list_alterations(run->matcher, opt->list_alterations);
    // TMB from the alterations with the command line's gates (else the built-in 0.05 VAF).
    if (status == 0 && !isnan(opt->panel_size) &&
        !(run->tmb = cm_tmb_new(1, isnan(opt->gates->min_vaf) ? 0.05 : opt->gates->min_vaf,
                                opt->gates->min_depth)))
        status = cm_error_set(err, NULL, 0, 0, "out of memory");
    if (status == 0)
        status = read_inputs(run, opt, build, is_one_patient, is_cohort, err);
    if (status == 0)
        status = offer_file_facts(run, opt, is_one_patient, err);
    if (status == 0 && cm_matcher_finish(run->matcher) < 0)
        status = cm_error_set(err, NULL, 0, 0, "out of memory");
    if (status == 0 && total_skips(run, is_cohort) < 0)
        status = cm_error_set(err, NULL, 0, 0, "out of memory");
    return status;
}

void cm_cli_run_free(cm_cli_run *run)
{
    cm_matcher_free(run->matcher);
    cm_tmb_free(run->tmb);
    free_profiles(&run->profiles);
    for (size_t i = 0; i < run->n_inputs; i++)
        cm_input_close(run->inputs[i]);
    free(run->inputs);
    free(run->listed);
    free(run->skipped);
    memset(run, 0, sizeof *run);
}
