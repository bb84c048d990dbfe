/* lfid.c - see lfid.h. C99, no dependencies. */
#include "lfid.h"

uint32_t lfid_crc32(const uint8_t *data, size_t length)
{
    /* bitwise, no table: 92 bytes once at boot do not need 1 KiB of flash for speed */
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int bit;
    for (i = 0; i < length; i++) {
        crc ^= data[i];
        for (bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return crc ^ 0xFFFFFFFFu;
}

void lfid_clear(lfid_identity *id)
{
    /* volatile, so the compiler cannot drop the stores to a struct that is not read again */
    volatile uint8_t *p = (volatile uint8_t *)id;
    size_t i;
    if (id == NULL) {
        return;
    }
    for (i = 0; i < sizeof(*id); i++) {
        p[i] = 0;
    }
}

static void copy(uint8_t *to, const uint8_t *from, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        to[i] = from[i];
    }
}

lfid_status lfid_read(const void *block, size_t length, lfid_identity *out)
{
    const uint8_t *b = (const uint8_t *)block;
    uint32_t stored;
    size_t i;
    if (block == NULL || out == NULL) {
        return LFID_ERR_ARGUMENT;
    }
    lfid_clear(out);
    if (length < LFID_SIZE) {
        return LFID_ERR_TRUNCATED;
    }
    if (b[0] != 'L' || b[1] != 'F' || b[2] != 'I' || b[3] != 'D') {
        return LFID_ERR_MAGIC;
    }
    if (b[4] != LFID_LAYOUT_VERSION) {
        return LFID_ERR_VERSION;
    }
    stored = (uint32_t)b[88] | (uint32_t)b[89] << 8 | (uint32_t)b[90] << 16 | (uint32_t)b[91] << 24;
    if (lfid_crc32(b, 88) != stored) {
        return LFID_ERR_CRC;
    }
    copy(out->dev_eui, b + 8, 8);
    copy(out->join_eui, b + 16, 8);
    copy(out->app_key, b + 24, 16);
    out->has_nwk_key = (b[5] & 1u) != 0;
    if (out->has_nwk_key) {
        copy(out->nwk_key, b + 40, 16);
    }
    for (i = 0; i < 32 && b[56 + i] != 0; i++) {
        out->serial[i] = (char)b[56 + i];
    }
    out->serial[i] = '\0';
    return LFID_OK;
}

lfid_status lfid_find(const void *region, size_t length, lfid_identity *out, size_t *offset)
{
    const uint8_t *r = (const uint8_t *)region;
    lfid_status last = LFID_ERR_MAGIC;
    size_t at;
    if (region == NULL || out == NULL) {
        return LFID_ERR_ARGUMENT;
    }
    lfid_clear(out);
    for (at = 0; at + 4 <= length; at += 4) {
        if (r[at] == 'L' && r[at + 1] == 'F' && r[at + 2] == 'I' && r[at + 3] == 'D') {
            last = lfid_read(r + at, length - at, out);
            if (last == LFID_OK) {
                if (offset != NULL) {
                    *offset = at;
                }
                return LFID_OK;
            }
        }
    }
    return last;
}

const char *lfid_status_text(lfid_status status)
{
    switch (status) {
    case LFID_OK:
        return "ok";
    case LFID_ERR_ARGUMENT:
        return "null argument";
    case LFID_ERR_TRUNCATED:
        return "truncated block";
    case LFID_ERR_MAGIC:
        return "no LFID magic";
    case LFID_ERR_VERSION:
        return "unknown layout version";
    case LFID_ERR_CRC:
        return "CRC-32 mismatch";
    }
    return "unknown status";
}
