/* Test driver for firmware/lfid.c: reads a file, prints what lfid_read (or lfid_find with "find") returns. */
#include <stdio.h>
#include <string.h>
#include "lfid.h"

static void hex(const char *name, const uint8_t *p, size_t n)
{
    size_t i;
    printf(" %s=", name);
    for (i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
}

int main(int argc, char **argv)
{
    static uint8_t buf[65536];
    size_t n, offset = 0;
    lfid_identity id;
    lfid_status s;
    FILE *f;
    if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL) {
        fprintf(stderr, "usage: lfid_test FILE [find]\n");
        return 2;
    }
    n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    s = argc > 2 && strcmp(argv[2], "find") == 0 ? lfid_find(buf, n, &id, &offset) : lfid_read(buf, n, &id);
    if (s != LFID_OK) {
        printf("error %d %s\n", (int)s, lfid_status_text(s));
        return 1;
    }
    printf("ok offset=%lu", (unsigned long)offset);
    hex("devEui", id.dev_eui, 8);
    hex("joinEui", id.join_eui, 8);
    hex("appKey", id.app_key, 16);
    printf(" nwk=%d", id.has_nwk_key);
    hex("nwkKey", id.nwk_key, 16);
    printf(" serial=[%s]\n", id.serial);
    lfid_clear(&id);
    return 0;
}
