/*
 * SHA-256 by Nettle (sha256.h): small, no start-up cost, and it uses the
 * CPU's SHA instructions where there are some; a 10,000-arm rule file is
 * 1.4 MB. (OpenSSL's libcrypto was as fast but cost 1.7 ms and 3.5 MiB of
 * initialisation in every run.)
 */
#include "sha256.h"

#include <nettle/sha2.h>

int cm_sha256_hex(const void *data, size_t len, char hex[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof digest, digest);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof digest; i++) {
        hex[2 * i] = digits[digest[i] >> 4];
        hex[2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}
