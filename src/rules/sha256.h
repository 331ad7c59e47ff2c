/*
 * SHA-256 of a rule file, private to the rule loader: the protocol's checksum
 * in reports lets a reader tell exactly which rule file produced a result.
 * Computed by Nettle.
 */
#ifndef COHORTMATCH_RULES_SHA256_H
#define COHORTMATCH_RULES_SHA256_H

#include <stddef.h>

/// Writes the lower-case hex digest of data (64 characters and a NUL) to hex. Returns 0.
int cm_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
