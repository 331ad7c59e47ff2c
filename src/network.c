/*
 * The network view's shared computations (include/cohortmatch/network.h):
 * ISO 3166-1 country codes, cohort progress under a protocol's design, and
 * the grouping of one sample's candidates into treatment options across
 * trials. It reads finished results and the rule set only; it never
 * evaluates rules, reads files or prints.
 */
#include "cohortmatch/network.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// Officially assigned ISO 3166-1 alpha-2 codes, sorted (from Debian's iso-codes 4.15.0,
// /usr/share/iso-codes/json/iso_3166-1.json; the codes are the standard's, not the package's).
static const char *const country_codes[] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

#define N_COUNTRIES (sizeof country_codes / sizeof country_codes[0])

static int compare_code(const void *key, const void *item)
{
    return strcmp((const char *)key, *(const char *const *)item);
}

int cm_country_is_assigned(const char *code)
{
    if (!code || strlen(code) != 2)
        return 0;
    return bsearch(code, country_codes, N_COUNTRIES, sizeof country_codes[0], compare_code) != NULL;
}

int cm_country_parse(const char *text, int allow_uk, char out[3])
{
    if (!text || strlen(text) != 2 || !isalpha((unsigned char)text[0]) ||
        !isalpha((unsigned char)text[1]))
        return -1;
    out[0] = (char)toupper((unsigned char)text[0]);
    out[1] = (char)toupper((unsigned char)text[1]);
    out[2] = '\0';
    if (allow_uk && strcmp(out, "UK") == 0)
        strcpy(out, "GB");
    return cm_country_is_assigned(out) ? 0 : -1;
}

/* ---- Cohort progress ---- */

int cm_cohort_progress_get(const cm_protocol *protocol, const cm_cohort *cohort,
                           cm_cohort_progress *out)
{
    const cm_design *design = &protocol->design;
    out->n_stages = design->n_stages;
    out->stage = 0;
    out->enrolled = -1;
    out->target = -1;
    if (!cohort) {
        // A new cohort: nobody is in it yet, which is news only beside a design's target.
        if (design->n_stages > 0) {
            out->stage = 1;
            out->target = design->stages[0];
        } else if (design->cohort_size > 0) {
            out->target = design->cohort_size;
        } else {
            return 0;
        }
        out->enrolled = 0;
        return 1;
    }
    if (cohort->is_enrolled_known || cohort->enrolled > 0)
        out->enrolled = cohort->enrolled;
    if (cohort->stage > 0)
        out->stage = cohort->stage;
    if (cohort->target > 0)
        out->target = cohort->target;
    if (design->n_stages > 0) {
        for (int i = 0; out->stage == 0 && out->target > 0 && i < design->n_stages; i++)
            if (design->stages[i] == out->target)
                out->stage = i + 1;
        if (out->stage == 0 && out->target <= 0 && out->enrolled >= 0) {
            out->stage = design->n_stages;
            for (int i = design->n_stages - 1; i >= 0; i--)
                if (out->enrolled < design->stages[i])
                    out->stage = i + 1;
        }
        if (out->target <= 0 && out->stage >= 1 && out->stage <= design->n_stages)
            out->target = design->stages[out->stage - 1];
    } else if (design->cohort_size > 0 && out->target <= 0) {
        out->target = design->cohort_size;
    }
    return out->enrolled >= 0 || out->stage > 0 || out->target > 0;
}

void cm_cohort_progress_format(const cm_cohort_progress *progress, kstring_t *out)
{
    size_t start = out->l;
    if (progress->enrolled >= 0 && progress->target > 0)
        ksprintf(out, "%d of %d", progress->enrolled, progress->target);
    else if (progress->enrolled >= 0)
        ksprintf(out, "%d enrolled", progress->enrolled);
    else if (progress->target > 0)
        ksprintf(out, "target %d", progress->target);
    if (progress->stage > 0) {
        ksprintf(out, "%sstage %d", out->l > start ? ", " : "", progress->stage);
        if (progress->n_stages > 0 && progress->stage > progress->n_stages)
            kputs(" (expansion beyond the design)", out);
    }
}

/* ---- Grouping ---- */

// A drug name without surrounding spaces, compared without letter case.
static void trimmed(const char *name, const char **start, size_t *len)
{
    while (*name == ' ')
        name++;
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == ' ')
        n--;
    *start = name;
    *len = n;
}

static int same_drug(const char *a, const char *b)
{
    const char *sa, *sb;
    size_t la, lb;
    trimmed(a, &sa, &la);
    trimmed(b, &sb, &lb);
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++)
        if (tolower((unsigned char)sa[i]) != tolower((unsigned char)sb[i]))
            return 0;
    return 1;
}

// Every drug of a is among those of b.
static int drugs_within(const cm_arm *a, const cm_arm *b)
{
    for (int i = 0; i < a->n_drugs; i++) {
        int found = 0;
        for (int k = 0; k < b->n_drugs && !found; k++)
            found = same_drug(a->drugs[i], b->drugs[k]);
        if (!found)
            return 0;
    }
    return 1;
}

int cm_arms_same_drugs(const cm_arm *a, const cm_arm *b)
{
    return a->n_drugs > 0 && b->n_drugs > 0 && drugs_within(a, b) && drugs_within(b, a);
}

static int slices_equal(cm_slice a, cm_slice b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, (size_t)a.len) == 0);
}

static int same_event(const cm_alteration *a, const cm_alteration *b)
{
    if (a == b)
        return 1;
    if (a->kind != b->kind || a->sample != b->sample)
        return 0;
    if (a->kind == CM_ALTERATION_FUSION) {
        int forward = slices_equal(a->gene, b->gene) && slices_equal(a->partner, b->partner);
        int reverse = slices_equal(a->gene, b->partner) && slices_equal(a->partner, b->gene);
        if (!forward && !reverse)
            return 0;
    } else if (!slices_equal(a->gene, b->gene)) {
        return 0;
    }
    if (a->chrom.len > 0 || b->chrom.len > 0) {
        if (a->kind == CM_ALTERATION_FUSION)
            return 1; // one fusion per gene pair (alterations.md), whichever breakend named it
        return slices_equal(a->chrom, b->chrom) && a->pos == b->pos &&
               slices_equal(a->ref, b->ref) && slices_equal(a->alt, b->alt);
    }
    // Without coordinates (rule tests): the same annotated change.
    return slices_equal(a->hgvsp, b->hgvsp) && slices_equal(a->hgvsc, b->hgvsc) &&
           a->protein.kind == b->protein.kind;
}

// The sample-level fact a biomarker leaf tests, as a small number: 1 TMB, 2 MSI, 3 MMR,
// 4 a named biomarker (compare the names too); 0 for age, sex or anything that is not a
// trigger.
static int trigger_fact(const cm_ruleset *rules, int leaf_id)
{
    if (!rules || leaf_id < 0 || (size_t)leaf_id >= cm_ruleset_n_leaves(rules))
        return 0;
    const cm_leaf *leaf = cm_ruleset_leaf(rules, leaf_id);
    if (leaf->scope != CM_LEAF_SAMPLE)
        return 0;
    if (!isnan(leaf->tmb_min) || !isnan(leaf->tmb_max))
        return 1;
    if (leaf->msi != CM_MSI_UNSET)
        return 2;
    if (leaf->mmr != CM_MMR_UNSET)
        return 3;
    if (leaf->biomarker)
        return 4;
    return 0;
}

static int is_trigger(const cm_ruleset *rules, const cm_evidence_item *item)
{
    return item->alteration || trigger_fact(rules, item->leaf) != 0;
}

int cm_evidence_same_trigger(const cm_ruleset *rules, const cm_evidence_item *a,
                             const cm_evidence_item *b)
{
    if (a->alteration && b->alteration)
        return same_event(a->alteration, b->alteration);
    if (a->alteration || b->alteration)
        return 0;
    int fact = trigger_fact(rules, a->leaf);
    if (fact == 4 && trigger_fact(rules, b->leaf) == 4)
        return strcmp(cm_ruleset_leaf(rules, a->leaf)->biomarker,
                      cm_ruleset_leaf(rules, b->leaf)->biomarker) == 0;
    return fact != 0 && fact == trigger_fact(rules, b->leaf);
}

int cm_candidates_share_trigger(const cm_ruleset *rules, const cm_candidate *a,
                                const cm_candidate *b)
{
    for (size_t i = 0; i < a->n_matched; i++)
        for (size_t k = 0; k < b->n_matched; k++)
            if (cm_evidence_same_trigger(rules, &a->matched[i], &b->matched[k]))
                return 1;
    return 0;
}

static size_t find_root(size_t *parent, size_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

int cm_groups_cross_border(const cm_groups *groups, size_t candidate)
{
    const cm_group *group = &groups->groups[groups->group_of[candidate]];
    for (size_t m = 0; m < group->n_members; m++)
        if (group->members[m].candidate == candidate)
            return group->members[m].is_cross_border;
    return -1;
}

void cm_groups_clear(cm_groups *groups)
{
    if (!groups)
        return;
    for (size_t g = 0; g < groups->n_groups; g++) {
        free(groups->groups[g].members);
        free(groups->groups[g].triggers);
    }
    free(groups->groups);
    free(groups->group_of);
    memset(groups, 0, sizeof *groups);
}

static int is_home(const cm_arm *arm, const char *home_country)
{
    return arm->protocol && arm->protocol->country &&
           strcmp(arm->protocol->country, home_country) == 0;
}

// The triggers a group shows: of a lone member, all of them; else each trigger that some
// other member shares, once, in member order.
static int collect_triggers(const cm_ruleset *rules, const cm_sample_result *result,
                            cm_group *group)
{
    size_t capacity = 0;
    for (size_t m = 0; m < group->n_members; m++)
        capacity += result->candidates[group->members[m].candidate].n_matched;
    group->triggers = calloc(capacity ? capacity : 1, sizeof *group->triggers);
    if (!group->triggers)
        return -1;
    for (size_t m = 0; m < group->n_members; m++) {
        const cm_candidate *mine = &result->candidates[group->members[m].candidate];
        for (size_t i = 0; i < mine->n_matched; i++) {
            const cm_evidence_item *item = &mine->matched[i];
            if (!is_trigger(rules, item))
                continue;
            int shown = 0, shared = group->n_members == 1;
            for (size_t t = 0; t < group->n_triggers && !shown; t++)
                shown = cm_evidence_same_trigger(rules, group->triggers[t], item);
            for (size_t o = 0; o < group->n_members && !shared && !shown; o++) {
                if (o == m)
                    continue;
                const cm_candidate *other = &result->candidates[group->members[o].candidate];
                for (size_t k = 0; k < other->n_matched && !shared; k++)
                    shared = cm_evidence_same_trigger(rules, item, &other->matched[k]);
            }
            if (shared && !shown)
                group->triggers[group->n_triggers++] = item;
        }
    }
    return 0;
}

int cm_groups_build(const cm_ruleset *rules, const cm_sample_result *result,
                    const char *home_country, cm_groups *out)
{
    memset(out, 0, sizeof *out);
    size_t n = result->n_candidates;
    if (n == 0)
        return 0;
    size_t *parent = malloc(n * sizeof *parent);
    out->group_of = malloc(n * sizeof *out->group_of);
    out->groups = calloc(n, sizeof *out->groups);
    if (!parent || !out->group_of || !out->groups)
        goto fail;
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    // Candidates are few (tens), so the pairwise comparison is cheap.
    for (size_t i = 0; i < n; i++)
        for (size_t k = i + 1; k < n; k++) {
            const cm_candidate *a = &result->candidates[i], *b = &result->candidates[k];
            if (find_root(parent, i) == find_root(parent, k) ||
                !cm_arms_same_drugs(a->arm, b->arm) || !cm_candidates_share_trigger(rules, a, b))
                continue;
            size_t ra = find_root(parent, i), rb = find_root(parent, k);
            // The root is the first candidate, so groups keep candidate order.
            if (ra < rb)
                parent[rb] = ra;
            else
                parent[ra] = rb;
        }
    // Groups in the order of their first candidate; members in candidate order.
    for (size_t i = 0; i < n; i++) {
        size_t root = find_root(parent, i);
        size_t g = root == i ? out->n_groups++ : out->group_of[root];
        out->group_of[i] = g;
        cm_group *group = &out->groups[g];
        cm_group_member *members =
            realloc(group->members, (group->n_members + 1) * sizeof *members);
        if (!members)
            goto fail;
        group->members = members;
        const cm_arm *arm = result->candidates[i].arm;
        members[group->n_members++] =
            (cm_group_member){i, home_country ? !is_home(arm, home_country) : -1};
    }
    for (size_t g = 0; g < out->n_groups; g++) {
        cm_group *group = &out->groups[g];
        if (home_country) {
            // Home-country trials first; a stable pass keeps candidate order within each.
            size_t next = 0;
            for (size_t m = 0; m < group->n_members; m++)
                if (group->members[m].is_cross_border == 0) {
                    cm_group_member home = group->members[m];
                    memmove(&group->members[next + 1], &group->members[next],
                            (m - next) * sizeof *group->members);
                    group->members[next++] = home;
                }
        }
        if (collect_triggers(rules, result, group) < 0)
            goto fail;
    }
    free(parent);
    return 0;
fail:
    free(parent);
    out->n_groups = n; // free every slot that may hold members
    cm_groups_clear(out);
    return -1;
}

/* ---- The drug x country matrix ---- */

// The row key of an arm: its drug names trimmed, in lower case, sorted, joined by " + ".
static int drug_key(const cm_arm *arm, kstring_t *out)
{
    out->l = 0;
    char **names = calloc((size_t)(arm->n_drugs ? arm->n_drugs : 1), sizeof *names);
    if (!names)
        return -1;
    int n = 0, status = 0;
    for (int i = 0; i < arm->n_drugs && status == 0; i++) {
        const char *start;
        size_t len;
        trimmed(arm->drugs[i], &start, &len);
        if (!(names[n] = malloc(len + 1))) {
            status = -1;
            break;
        }
        for (size_t k = 0; k < len; k++)
            names[n][k] = (char)tolower((unsigned char)start[k]);
        names[n++][len] = '\0';
    }
    for (int i = 1; i < n; i++) // insertion sort: a handful of names
        for (int k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
            char *t = names[k];
            names[k] = names[k - 1];
            names[k - 1] = t;
        }
    for (int i = 0; i < n; i++) {
        if (i > 0 && strcmp(names[i], names[i - 1]) == 0)
            continue; // a set
        if (out->l)
            kputs(" + ", out);
        kputs(names[i], out);
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (status == 0 && !out->s && kputs("", out) < 0)
        status = -1;
    return status;
}

void cm_drug_matrix_clear(cm_drug_matrix *matrix)
{
    if (!matrix)
        return;
    for (size_t r = 0; r < matrix->n_rows; r++)
        free(matrix->rows[r].arms);
    free(matrix->rows);
    free(matrix->countries);
    memset(matrix, 0, sizeof *matrix);
}

static int compare_country(const void *a, const void *b)
{
    const char *x = a, *y = b;
    // "" (no country) last.
    if (!*x || !*y)
        return (*x == 0) - (*y == 0);
    return strcmp(x, y);
}

int cm_drug_matrix_build(const cm_ruleset *rules, cm_drug_matrix *out)
{
    memset(out, 0, sizeof *out);
    size_t n_protocols = cm_ruleset_n_protocols(rules), n_arms = 0;
    for (size_t p = 0; p < n_protocols; p++)
        n_arms += (size_t)cm_ruleset_protocol(rules, p)->n_arms;
    char **keys = calloc(n_arms ? n_arms : 1, sizeof *keys);
    out->rows = calloc(n_arms ? n_arms : 1, sizeof *out->rows);
    out->countries = calloc(n_protocols ? n_protocols : 1, sizeof *out->countries);
    kstring_t key = {0, 0, NULL};
    int status = keys && out->rows && out->countries ? 0 : -1;
    for (size_t p = 0; p < n_protocols && status == 0; p++) {
        const cm_protocol *protocol = cm_ruleset_protocol(rules, p);
        const char *code = protocol->country ? protocol->country : "";
        size_t c = 0;
        while (c < out->n_countries && strcmp(out->countries[c], code) != 0)
            c++;
        if (c == out->n_countries)
            snprintf(out->countries[out->n_countries++], 3, "%s", code);
        for (int a = 0; a < protocol->n_arms && status == 0; a++) {
            const cm_arm *arm = &protocol->arms[a];
            if ((status = drug_key(arm, &key)) < 0)
                break;
            size_t r = 0;
            while (r < out->n_rows && strcmp(keys[r], key.s) != 0)
                r++;
            if (r == out->n_rows) {
                // Sorted insertion by key.
                r = 0;
                while (r < out->n_rows && strcmp(keys[r], key.s) < 0)
                    r++;
                memmove(&keys[r + 1], &keys[r], (out->n_rows - r) * sizeof *keys);
                memmove(&out->rows[r + 1], &out->rows[r], (out->n_rows - r) * sizeof *out->rows);
                out->n_rows++;
                memset(&out->rows[r], 0, sizeof out->rows[r]);
                if (!(keys[r] = strdup(key.s))) {
                    status = -1;
                    break;
                }
            }
            cm_drug_row *row = &out->rows[r];
            const cm_arm **grown = realloc(row->arms, (row->n_arms + 1) * sizeof *grown);
            if (!grown) {
                status = -1;
                break;
            }
            row->arms = grown;
            row->arms[row->n_arms++] = arm;
        }
    }
    if (status == 0 && out->n_countries > 1)
        qsort(out->countries, out->n_countries, sizeof *out->countries, compare_country);
    for (size_t r = 0; keys && r < n_arms; r++)
        free(keys[r]);
    free(keys);
    free(key.s);
    if (status < 0)
        cm_drug_matrix_clear(out);
    return status;
}
