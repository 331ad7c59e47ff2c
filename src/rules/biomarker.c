/*
 * The words of named sample biomarkers: which names the rule language knows, and
 * when a sample's value satisfies a rule's `is` word. Words compare without case; a
 * few biomarkers have several spellings for one state (CTML writes UVA where COSMIC
 * and most pipelines write UV; CHORD writes HR_deficient), and a mutational signature
 * may be reported by its COSMIC SBS number. Words compare without case, with '_', '-'
 * and ' ' as one separator (HR-deficient = HR_deficient), and a signature with or
 * without a "_signature" suffix (CTML's apobec_signature). The tables below are the whole mapping
 * (docs/rules.md "Mutational signatures" lists them); nothing here guesses.
 */
#include "internal.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const char *const known_biomarkers[] = {"hrd", "signatures", "purity", "ploidy", "pdl1_tps"};

const char *const *cm_known_biomarkers(size_t *n)
{
    *n = COUNT(known_biomarkers);
    return known_biomarkers;
}

/// One state of a biomarker: its name as rules write it, other spellings of the same
/// state (a rule or a sample may use any of them), and narrower terms that a sample may
/// report and that imply the state (COSMIC SBS signatures), but not the reverse.
typedef struct state_words {
    const char *biomarker;
    const char *name;
    const char *aliases[4];
    const char *narrower[8];
} state_words;

// COSMIC v3 aetiologies (https://cancer.sanger.ac.uk/signatures/sbs/): SBS2/13 APOBEC
// activity, SBS10a/b POLE exonuclease mutations, SBS4 tobacco smoking, SBS7a-d UV light,
// SBS11 temozolomide, SBS6/14/15/20/21/26/44 defective mismatch repair, SBS3 defective
// homologous recombination.
static const state_words states[] = {
    {"signatures", "apobec", {NULL}, {"SBS2", "SBS13"}},
    {"signatures", "pole", {NULL}, {"SBS10a", "SBS10b"}},
    {"signatures", "tobacco", {"smoking"}, {"SBS4"}},
    {"signatures", "uv", {"uva"}, {"SBS7a", "SBS7b", "SBS7c", "SBS7d"}},
    {"signatures", "temozolomide", {"tmz"}, {"SBS11"}},
    {"signatures", "mmr", {NULL}, {"SBS6", "SBS14", "SBS15", "SBS20", "SBS21", "SBS26", "SBS44"}},
    {"signatures", "hrd", {NULL}, {"SBS3"}},
    {"hrd", "deficient", {"hr_deficient", "hrd", "positive"}, {NULL}},
    {"hrd", "proficient", {"hr_proficient", "hrp", "negative"}, {NULL}},
};

// Separators written differently for one word: HR-deficient, HR_deficient, "HR deficient".
static int is_separator(char c)
{
    return c == '_' || c == '-' || c == ' ';
}

// Without case, '_', '-' and ' ' counting as one character; for signatures a trailing
// "_signature" is left out (CTML names its keys apobec_signature, pole_signature ...).
static int words_equal(const char *name, const char *a, const char *b)
{
    static const char suffix[] = "_signature";
    size_t la = strlen(a), lb = strlen(b), ls = sizeof suffix - 1;
    if (strcmp(name, "signatures") == 0) {
        if (la > ls && strncasecmp(a + la - ls + 1, suffix + 1, ls - 1) == 0 &&
            is_separator(a[la - ls]))
            la -= ls;
        if (lb > ls && strncasecmp(b + lb - ls + 1, suffix + 1, ls - 1) == 0 &&
            is_separator(b[lb - ls]))
            lb -= ls;
    }
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++)
        if (!(is_separator(a[i]) && is_separator(b[i])) &&
            tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

static int in_list(const char *name, const char *const *list, size_t n, const char *word)
{
    for (size_t i = 0; i < n && list[i]; i++)
        if (words_equal(name, list[i], word))
            return 1;
    return 0;
}

/// The state a word names (its name or an alias) for the biomarker, or NULL.
static const state_words *state_named(const char *biomarker, const char *word)
{
    for (size_t i = 0; i < COUNT(states); i++)
        if (strcmp(states[i].biomarker, biomarker) == 0 &&
            (words_equal(biomarker, states[i].name, word) ||
             in_list(biomarker, states[i].aliases, COUNT(states[i].aliases), word)))
            return &states[i];
    return NULL;
}

int cm_biomarker_value_is(const char *name, const char *value, const char *word)
{
    if (words_equal(name, value, word))
        return 1;
    const state_words *state = state_named(name, word);
    if (!state)
        return 0;
    return state_named(name, value) == state ||
           in_list(name, state->narrower, COUNT(state->narrower), value);
}

const char *cm_biomarker_state_name(const char *name, const char *word)
{
    const state_words *state = state_named(name, word);
    return state ? state->name : NULL;
}

size_t cm_biomarker_state_names(const char *name, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < COUNT(states); i++)
        if (strcmp(states[i].biomarker, name) == 0 && n < max)
            out[n++] = states[i].name;
    return n;
}
