/*
 * SHA-256 (FIPS 180-4), private to the rule loader: the protocol's checksum in
 * reports lets a reader tell exactly which rule file produced a result.
 */
#ifndef COHORTMATCH_RULES_SHA256_H
#define COHORTMATCH_RULES_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct cm_sha256 {
    uint32_t state[8];
    uint64_t n_bytes;
    unsigned char block[64];
    size_t n_block;
} cm_sha256;

void cm_sha256_init(cm_sha256 *ctx);
void cm_sha256_update(cm_sha256 *ctx, const void *data, size_t len);
/// Writes the 32-byte digest.
void cm_sha256_final(cm_sha256 *ctx, unsigned char digest[32]);

/// Writes the lower-case hex digest of data (64 characters and a NUL) to hex.
void cm_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
