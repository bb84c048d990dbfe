/*
 * lfid.h - reads the lorafab identity block (LFID, layout version 1) in a LoRaWAN device's flash.
 *
 * lorafab's station writes one block per device at the identity address the product gives (the whole-image mode
 * patches it into the firmware image; the identity-only mode writes it alone into its own flash page). The block
 * is 92 bytes; integers are little-endian, EUIs and keys are in the MSB-first order they are printed in:
 *
 *   off len field
 *     0   4 magic "LFID"
 *     4   1 layout version (1)
 *     5   1 flags: bit 0 = NwkKey present (LoRaWAN 1.1)
 *     6   2 reserved (0)
 *     8   8 DevEUI
 *    16   8 JoinEUI
 *    24  16 AppKey
 *    40  16 NwkKey (zeros when absent)
 *    56  32 serial number, ASCII, NUL-padded
 *    88   4 CRC-32 (IEEE 802.3, as zlib's crc32) of bytes 0..87
 *
 * C99, no dependencies, no allocation. A firmware reads its block once at boot:
 *
 *     lfid_identity id;
 *     if (lfid_read((const void *)LFID_ADDRESS, LFID_SIZE, &id) != LFID_OK) { ... no identity: do not join ... }
 *
 * Keys are secrets: do not print them, and clear the struct (lfid_clear) once the LoRaWAN stack has them.
 */
#ifndef LFID_H
#define LFID_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LFID_SIZE 92u
#define LFID_LAYOUT_VERSION 1u

typedef enum {
    LFID_OK = 0,
    LFID_ERR_ARGUMENT,  /* a NULL pointer */
    LFID_ERR_TRUNCATED, /* fewer than LFID_SIZE bytes */
    LFID_ERR_MAGIC,     /* no "LFID" at the start: nothing was written there (erased flash reads 0xFF) */
    LFID_ERR_VERSION,   /* a layout this reader does not know */
    LFID_ERR_CRC        /* the CRC-32 does not match: a torn or corrupted write */
} lfid_status;

typedef struct {
    uint8_t dev_eui[8];
    uint8_t join_eui[8];
    uint8_t app_key[16];
    uint8_t nwk_key[16];  /* zeros unless has_nwk_key */
    int has_nwk_key;      /* 1 for LoRaWAN 1.1 devices */
    char serial[33];      /* NUL-terminated, may be empty */
} lfid_identity;

/* Checks the block at `block` (magic, layout version, CRC-32) and copies its fields into `out`.
 * `out` is left cleared on any error. */
lfid_status lfid_read(const void *block, size_t length, lfid_identity *out);

/* Looks for a valid block in `region` (at 4-byte aligned offsets from its start) and reads the first one found;
 * `*offset` (if not NULL) gets its offset. Returns the error of the last candidate, or LFID_ERR_MAGIC if none. */
lfid_status lfid_find(const void *region, size_t length, lfid_identity *out, size_t *offset);

/* CRC-32 (IEEE 802.3, reflected, init and final XOR 0xFFFFFFFF), as used by the block. */
uint32_t lfid_crc32(const uint8_t *data, size_t length);

/* Overwrites the identity, keys included. */
void lfid_clear(lfid_identity *id);

/* A short English text for a status, for a boot log. */
const char *lfid_status_text(lfid_status status);

#ifdef __cplusplus
}
#endif

#endif /* LFID_H */
