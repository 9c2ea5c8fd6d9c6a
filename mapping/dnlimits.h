/*
 * Caps on DNs, apart from dn.h so that the scanner (dnscan.h) can size its
 * views without including the API it serves.
 */
#ifndef MAP_DNLIMITS_H
#define MAP_DNLIMITS_H

#include <stddef.h>

#define MAP_DN_MAX		((size_t)64 * 1024) /* AD DNs are far shorter */
#define MAP_DN_MAX_AVAS		16		/* per multi-valued RDN */

#endif
