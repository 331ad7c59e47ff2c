/*
 * What the profile and study tests share: checking one recorded fact
 * conflict field by field. Include after <cmocka.h>.
 */
#ifndef COHORTMATCH_TEST_CONFLICT_ASSERT_H
#define COHORTMATCH_TEST_CONFLICT_ASSERT_H

#include "cohortmatch/profile.h"

/* Fails the calling test unless c is exactly this conflict: the kept value and its source,
 * then the value that lost and its source. */
static inline void assert_conflict(const cm_fact_conflict *c, const char *fact, const char *value,
                                   const char *source, const char *other_value,
                                   const char *other_source)
{
    assert_string_equal(c->fact, fact);
    assert_string_equal(c->value, value);
    assert_string_equal(c->source, source);
    assert_string_equal(c->other_value, other_value);
    assert_string_equal(c->other_source, other_source);
}

#endif
