/*
 * The text report: a summary per sample for the molecular tumour board,
 * readable at a terminal (plain text, lines of at most 100 columns). It says
 * what the JSON says, in words: candidates with cohort state, evidence and
 * the alterations that triggered them, then the arms ruled out and why.
 * Absence is written "not detected", never "wild-type": the writer does not
 * know which regions the assay covered. It never evaluates rules.
 */
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cohortmatch/profile.h"

#define TEXT_WIDTH 100

// Appends one logical line to out, broken at spaces so that no line is wider than
// TEXT_WIDTH; continuation lines start with `hang` spaces. A word longer than the line
// is cut.
static void put_wrapped(kstring_t *out, const char *line, size_t len, int hang)
{
    size_t start = 0;
    int first = 1;
    while (start < len || first) {
        size_t indent = first ? 0 : (size_t)hang;
        size_t room = TEXT_WIDTH - indent;
        size_t end = len;
        if (len - start > room) {
            // Break at the last space that follows some text of this line.
            size_t floor = start;
            while (first && floor < len && line[floor] == ' ')
                floor++;
            end = start + room;
            size_t space = end;
            while (space > floor && line[space] != ' ')
                space--;
            if (space > floor)
                end = space;
        }
        for (size_t i = 0; i < indent; i++)
            kputc(' ', out);
        size_t stop = end;
        while (stop > start && line[stop - 1] == ' ')
            stop--;
        kputsn(line + start, stop - start, out);
        kputc('\n', out);
        start = end;
        while (start < len && line[start] == ' ')
            start++;
        first = 0;
    }
}

static void line_printf(kstring_t *out, kstring_t *line, int hang, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void line_printf(kstring_t *out, kstring_t *line, int hang, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    line->l = 0;
    kvsprintf(line, fmt, ap);
    va_end(ap);
    put_wrapped(out, line->s ? line->s : "", line->l, hang);
}

static void put_slice(kstring_t *out, cm_slice slice)
{
    kputsn(slice.s, (size_t)slice.len, out);
}

// The names facts take in the header's "sources:" line.
static const char *const fact_words[CM_FACT_KEY_COUNT] = {"tumour type", "TMB", "MSI",
                                                          "MMR",         "age", "sex"};

static const char *source_where(const cm_fact_source *source)
{
    return source->where ? source->where : cm_fact_origin_name(source->origin);
}

// "    sources: tumour type, TMB: sheet.tsv:3; purity, ploidy: x.purple.purity.tsv:purity": the
// facts that did not come from the command line, grouped by where they came from (in the order
// first met). Nothing when every fact came from the command line.
static void put_fact_sources(kstring_t *out, kstring_t *line, const cm_sample_profile *profile)
{
    // Every fact with a source, in header order: the built-ins, then the named biomarkers.
    size_t n = CM_FACT_KEY_COUNT + profile->n_biomarkers;
    line->l = 0;
    kputs("    sources: ", line);
    size_t empty = line->l;
    for (size_t i = 0; i < n; i++) {
        const cm_fact_source *source = i < CM_FACT_KEY_COUNT
                                           ? &profile->sources[i]
                                           : &profile->biomarkers[i - CM_FACT_KEY_COUNT].source;
        if (source->origin == CM_ORIGIN_NONE || source->origin == CM_ORIGIN_COMMAND_LINE ||
            source->origin == CM_ORIGIN_COMPUTED)
            continue;
        const char *where = source_where(source);
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            const cm_fact_source *other = k < CM_FACT_KEY_COUNT
                                              ? &profile->sources[k]
                                              : &profile->biomarkers[k - CM_FACT_KEY_COUNT].source;
            seen = other->origin != CM_ORIGIN_NONE && other->origin != CM_ORIGIN_COMMAND_LINE &&
                   other->origin != CM_ORIGIN_COMPUTED && strcmp(source_where(other), where) == 0;
        }
        if (seen)
            continue;
        if (line->l > empty)
            kputs("; ", line);
        int first = 1;
        for (size_t k = i; k < n; k++) {
            const cm_fact_source *other = k < CM_FACT_KEY_COUNT
                                              ? &profile->sources[k]
                                              : &profile->biomarkers[k - CM_FACT_KEY_COUNT].source;
            if (other->origin == CM_ORIGIN_NONE || other->origin == CM_ORIGIN_COMMAND_LINE ||
                other->origin == CM_ORIGIN_COMPUTED || strcmp(source_where(other), where) != 0)
                continue;
            kputs(first ? "" : ", ", line);
            kputs(k < CM_FACT_KEY_COUNT ? fact_words[k]
                                        : profile->biomarkers[k - CM_FACT_KEY_COUNT].name,
                  line);
            first = 0;
        }
        ksprintf(line, ": %s", where);
    }
    if (line->l > empty)
        put_wrapped(out, line->s, line->l, 6);
}

static void put_sample_header(kstring_t *out, kstring_t *line, const cm_report *report,
                              const cm_sample_profile *profile)
{
    line->l = 0;
    ksprintf(line, "Sample %s: ", profile && profile->name ? profile->name : "?");
    kputs(profile && profile->tumour_type ? profile->tumour_type : "tumour type not given", line);
    const cm_oncotree *tree = report->rules ? cm_ruleset_oncotree(report->rules) : NULL;
    if (tree && profile && profile->tumour_node >= 0)
        ksprintf(line, " (%s)", cm_oncotree_name(tree, profile->tumour_node));
    if (profile && isfinite(profile->tmb)) {
        kputs("; TMB ", line);
        cm_report_format_fixed(profile->tmb, 2, line);
        kputs(profile->tmb_is_computed ? " mut/Mb (computed)" : " mut/Mb", line);
    }
    const char *msi = profile ? cm_report_msi_name(profile->msi) : NULL;
    if (msi)
        ksprintf(line, "; MSI %s", msi);
    const char *mmr = profile ? cm_report_mmr_name(profile->mmr) : NULL;
    if (mmr)
        ksprintf(line, "; MMR %s", mmr);
    if (profile && isfinite(profile->age)) {
        kputs("; age ", line);
        cm_report_format_fixed(profile->age, 2, line);
    }
    const char *sex = profile ? cm_report_sex_name(profile->sex) : NULL;
    if (sex)
        ksprintf(line, "; %s", sex);
    for (size_t i = 0; profile && i < profile->n_biomarkers; i++) {
        ksprintf(line, "; %s ", profile->biomarkers[i].name);
        cm_profile_fact_text(profile, profile->biomarkers[i].name, line);
    }
    put_wrapped(out, line->s, line->l, 4);
    if (!profile)
        return;
    put_fact_sources(out, line, profile);
    for (size_t i = 0; i < profile->n_conflicts; i++) {
        line->l = 0;
        kputs("    note: sources disagree on ", line);
        cm_report_conflict_text(&profile->conflicts[i], line);
        put_wrapped(out, line->s, line->l, 8);
    }
}

// "BRAF p.Val600Glu (V600E), ENST00000646891, exon 15/18, VAF 31%, depth 230 [BRAF_V600]"
static void put_alteration(kstring_t *line, const cm_report *report, const cm_alteration *a,
                           const char *name, kstring_t *scratch)
{
    if (a->kind == CM_ALTERATION_FUSION) {
        // "5'::3'" only when the caller said which side is 5'; else "A/B" (docs/output.md).
        if (a->is_five_prime == 0 && a->partner.len > 0) {
            put_slice(line, a->partner);
            kputs("::", line);
            put_slice(line, a->gene);
        } else {
            put_slice(line, a->gene);
            kputs(a->is_five_prime == 1 ? "::" : "/", line);
            if (a->partner.len > 0)
                put_slice(line, a->partner);
            else
                kputc('?', line);
        }
        kputs(" fusion", line);
        if (a->in_frame >= 0)
            kputs(a->in_frame ? ", in frame" : ", out of frame", line);
        if (isfinite(a->copy_number)) {
            kputs(", ", line);
            cm_report_format_number(a->copy_number, line);
            kputs(" copies at the break", line);
        }
    } else if (a->kind == CM_ALTERATION_COPY_NUMBER) {
        put_slice(line, a->gene);
        const char *cnv = cm_report_cnv_name(a->cnv);
        kputc(' ', line);
        kputs(cnv ? cnv : "copy-number change", line);
        if (isfinite(a->copy_number)) {
            kputs(", ", line);
            cm_report_format_number(a->copy_number, line);
            kputs(" copies", line);
        }
    } else {
        put_slice(line, a->gene);
        scratch->l = 0;
        if (cm_report_protein_hgvs(a, scratch)) {
            kputc(' ', line);
            kputsn(scratch->s, scratch->l, line);
            scratch->l = 0;
            if (cm_report_protein_short(a, scratch))
                ksprintf(line, " (%s)", scratch->s);
        } else if (a->hgvsc.len > 0) {
            kputc(' ', line);
            put_slice(line, a->hgvsc);
        } else if (a->consequence) {
            kputc(' ', line);
            scratch->l = 0;
            cm_consequence_format(a->consequence, scratch);
            kputsn(scratch->s, scratch->l, line);
        }
        if (a->transcript.len > 0) {
            kputs(", ", line);
            put_slice(line, a->transcript);
        }
        if (a->exon > 0) {
            kputs(a->exon_last > a->exon ? ", exons " : ", exon ", line);
            cm_report_exons(a, 1, line);
        }
    }
    // The position only where nothing else names the variant (the board reads proteins).
    int is_named = a->kind != CM_ALTERATION_SMALL || a->hgvsp.len > 0 || a->hgvsc.len > 0 ||
                   (a->protein.kind != CM_PROTEIN_NONE && a->protein.kind != CM_PROTEIN_UNPARSED);
    if (!is_named && a->chrom.len > 0 && a->pos > 0) {
        kputs(", ", line);
        put_slice(line, a->chrom);
        ksprintf(line, ":%lld", (long long)a->pos);
        if (a->ref.len > 0 && a->alt.len > 0) {
            kputc(':', line);
            put_slice(line, a->ref);
            kputc(':', line);
            put_slice(line, a->alt);
        }
    }
    if (isfinite(a->vaf)) {
        kputs(", VAF ", line);
        cm_report_format_fixed(a->vaf * 100.0, 1, line);
        kputc('%', line);
    }
    if (a->depth >= 0)
        ksprintf(line, ", depth %d", a->depth);
    if (!a->is_pass)
        kputs(", FILTER not PASS", line);
    size_t before = line->l;
    kputs(", from ", line);
    size_t start = line->l;
    cm_report_alteration_source(report, a, line);
    if (line->l == start)
        line->l = before;
    if (name)
        ksprintf(line, " [%s]", name);
}

// A sample-level fact that satisfied the arm: "TMB 12.5 mut/Mb [TMB_HIGH]".
static void put_biomarker(kstring_t *line, const cm_report *report,
                          const cm_sample_profile *profile, const cm_evidence_item *item)
{
    const char *key = cm_report_biomarker_key(report->rules, item->leaf);
    if (!key)
        kputs("sample-level biomarker", line);
    else if (strcmp(key, "tmb") == 0)
        kputs("TMB ", line);
    else if (strcmp(key, "msi") == 0)
        kputs("MSI ", line);
    else if (strcmp(key, "mmr") == 0)
        kputs("MMR ", line);
    else
        ksprintf(line, "%s ", key);
    if (key)
        cm_report_biomarker_value(profile, key, line);
    if (key && strcmp(key, "tmb") == 0)
        kputs(" mut/Mb", line);
    const cm_fact_source *source = key && profile ? cm_profile_fact_source(profile, key) : NULL;
    if (source && source->origin == CM_ORIGIN_COMPUTED)
        kputs(" (computed)", line);
    else if (source && source->origin != CM_ORIGIN_COMMAND_LINE)
        ksprintf(line, ", from %s",
                 source->where ? source->where : cm_fact_origin_name(source->origin));
    if (item->name)
        ksprintf(line, " [%s]", item->name);
}

// "DETERMINE (GB, PRIME-ROSE); " -- the protocol and where it runs.
static void put_trial(kstring_t *line, const cm_arm *arm)
{
    const cm_protocol *protocol = arm->protocol;
    kputs("trial ", line);
    kputs(protocol && protocol->id ? protocol->id : "?", line);
    if (protocol && (protocol->country || protocol->network)) {
        kputs(" (", line);
        if (protocol->country)
            kputs(protocol->country, line);
        if (protocol->network)
            ksprintf(line, "%s%s", protocol->country ? ", " : "", protocol->network);
        kputc(')', line);
    }
    kputs("; ", line);
}

static void put_candidate(kstring_t *out, kstring_t *line, kstring_t *scratch,
                          const cm_report *report, const cm_sample_profile *profile,
                          const cm_candidate *candidate, size_t number, size_t group,
                          int is_cross_border)
{
    const cm_arm *arm = candidate->arm;
    line->l = 0;
    ksprintf(line, "%3zu. ", number);
    for (int i = 0; i < arm->n_drugs; i++) {
        if (i > 0)
            kputs(" + ", line);
        kputs(arm->drugs[i], line);
    }
    if (arm->n_drugs == 0)
        kputs("(no drug listed)", line);
    kputs("  [", line);
    cm_report_protocol_arm(arm, line);
    kputc(']', line);
    put_wrapped(out, line->s, line->l, 7);

    line->l = 0;
    kputs("     ", line);
    put_trial(line, arm);
    ksprintf(line, "option %zu", group + 1);
    if (is_cross_border == 1)
        kputs("; cross-border", line);
    put_wrapped(out, line->s, line->l, 7);

    line->l = 0;
    kputs("     ", line);
    cm_report_cohort_text(candidate, line);
    put_wrapped(out, line->s, line->l, 7);

    if (arm->criteria == CM_CRITERIA_INFERRED) {
        line->l = 0;
        kputs("     biomarker inferred - confirm with the trial", line);
        if (arm->note)
            ksprintf(line, ": %s", arm->note);
        put_wrapped(out, line->s, line->l, 7);
    }

    line->l = 0;
    kputs("     evidence: ", line);
    if (arm->escat)
        ksprintf(line, "ESCAT %s", arm->escat);
    if (arm->oncokb)
        ksprintf(line, "%sOncoKB %s", arm->escat ? ", " : "", arm->oncokb);
    if (!arm->escat && !arm->oncokb)
        kputs("not graded", line);
    if (arm->source)
        ksprintf(line, "; source: %s", arm->source);
    put_wrapped(out, line->s, line->l, 7);

    for (size_t i = 0; i < candidate->n_matched; i++) {
        const cm_evidence_item *item = &candidate->matched[i];
        line->l = 0;
        kputs("     ", line);
        if (item->alteration)
            put_alteration(line, report, item->alteration, item->name, scratch);
        else
            put_biomarker(line, report, profile, item);
        put_wrapped(out, line->s, line->l, 7);
    }
    if (arm->exclude) {
        line->l = 0;
        kputs("     excluding alterations not detected: ", line);
        cm_report_exclusion_names(arm->exclude, line);
        put_wrapped(out, line->s, line->l, 7);
    }
    for (size_t i = 0; i < candidate->n_notes; i++)
        line_printf(out, line, 7, "     note: %s", candidate->notes[i]);
}

// One line per treatment option (a group), then one line per trial that offers it.
static void put_options(kstring_t *out, kstring_t *line, const cm_report *report,
                        const cm_sample_result *result, const cm_groups *groups)
{
    ksprintf(out,
             "Treatment options (%zu): the same drugs for the same alteration, across "
             "trials\n",
             groups->n_groups);
    for (size_t g = 0; g < groups->n_groups; g++) {
        const cm_group *group = &groups->groups[g];
        line->l = 0;
        ksprintf(line, "  option %zu: ", g + 1);
        cm_report_drugs(result->candidates[group->members[0].candidate].arm, line);
        for (size_t t = 0; t < group->n_triggers; t++) {
            kputs(t == 0 ? " for " : ", ", line);
            cm_report_trigger(report->rules, result->profile, group->triggers[t], line);
        }
        put_wrapped(out, line->s, line->l, 6);
        for (size_t m = 0; m < group->n_members; m++) {
            const cm_candidate *candidate = &result->candidates[group->members[m].candidate];
            const cm_protocol *protocol = candidate->arm->protocol;
            line->l = 0;
            ksprintf(line, "    - [%zu] ", group->members[m].candidate + 1);
            kputs(protocol && protocol->id ? protocol->id : "?", line);
            if (protocol && protocol->country)
                ksprintf(line, " (%s)", protocol->country);
            ksprintf(line, " %s: ", candidate->arm->id);
            cm_report_cohort_text(candidate, line);
            if (candidate->arm->criteria == CM_CRITERIA_INFERRED)
                kputs("; biomarker inferred", line);
            if (group->members[m].is_cross_border == 1)
                kputs("; cross-border", line);
            put_wrapped(out, line->s, line->l, 8);
        }
    }
}

static void put_sample(kstring_t *out, kstring_t *line, kstring_t *scratch, const cm_report *report,
                       const cm_sample_result *result, const cm_groups *groups)
{
    const cm_sample_profile *profile = result->profile;
    put_sample_header(out, line, report, profile);
    kputc('\n', out);
    if (result->n_candidates == 0) {
        kputs("No candidate arms.\n", out);
    } else {
        put_options(out, line, report, result, groups);
        ksprintf(out, "\nCandidates (%zu)\n", result->n_candidates);
        for (size_t i = 0; i < result->n_candidates; i++) {
            size_t g = groups->group_of[i];
            int is_cross_border = cm_groups_cross_border(groups, i);
            put_candidate(out, line, scratch, report, profile, &result->candidates[i], i + 1, g,
                          is_cross_border);
        }
    }
    if (result->n_ruled_out > 0) {
        ksprintf(out, "\nRuled out (%zu)\n", result->n_ruled_out);
        for (size_t i = 0; i < result->n_ruled_out; i++) {
            const cm_ruled_out *ruled_out = &result->ruled_out[i];
            line->l = 0;
            kputs("  - ", line);
            cm_report_protocol_arm(ruled_out->arm, line);
            ksprintf(line, ": %s", cm_report_reason_words(ruled_out->reason));
            if (ruled_out->detail && *ruled_out->detail)
                ksprintf(line, ": %s", ruled_out->detail);
            put_wrapped(out, line->s, line->l, 6);
        }
    }
}

static void put_stats(kstring_t *out, kstring_t *line, const cm_report *report)
{
    line->l = 0;
    cm_report_stats_text(report, line);
    put_wrapped(out, line->s, line->l, 4);
}

int cm_report_write_text(const cm_report *report, FILE *fp, cm_error *err)
{
    kstring_t out = {0, 0, NULL};
    kstring_t line = {0, 0, NULL};
    kstring_t scratch = {0, 0, NULL};
    int status = 0;
    for (size_t i = 0; i < report->n_samples && status == 0; i++) {
        if (i > 0)
            kputc('\n', &out);
        cm_groups groups;
        status = cm_groups_build(report->rules, report->samples[i], report->home_country, &groups);
        if (status == 0)
            put_sample(&out, &line, &scratch, report, report->samples[i], &groups);
        cm_groups_clear(&groups);
    }
    if (report->n_samples == 0)
        kputs("No samples.\n", &out);
    kputc('\n', &out);
    put_stats(&out, &line, report);
    if (status == 0 && fwrite(out.s, 1, out.l, fp) != out.l)
        status = -1;
    free(out.s);
    free(line.s);
    free(scratch.s);
    if (status != 0 || fflush(fp) != 0 || ferror(fp))
        return cm_error_set(err, NULL, 0, 0, "cannot write the text report");
    return 0;
}
