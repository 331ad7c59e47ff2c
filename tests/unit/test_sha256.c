/*
 * Unit tests of the rule loader's SHA-256 (Nettle behind a hex formatter)
 * against the FIPS 180-2 example vectors and the empty message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/rules/sha256.h"

static void assert_sha(const char *text, const char *expected)
{
    char hex[65];
    assert_int_equal(cm_sha256_hex(text, strlen(text), hex), 0);
    assert_string_equal(hex, expected);
}

static void test_fips_vectors(void **state)
{
    (void)state;
    assert_sha("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_sha("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    // 56 bytes: the length no longer fits the first block's padding.
    assert_sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_million_a(void **state)
{
    (void)state;
    char *text = malloc(1000001);
    assert_non_null(text);
    memset(text, 'a', 1000000);
    text[1000000] = '\0';
    assert_sha(text, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips_vectors),
        cmocka_unit_test(test_million_a),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
