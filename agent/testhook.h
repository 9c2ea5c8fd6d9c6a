/*
 * Test hooks: named points in the write loop where an integration test may
 * act (kill the process, change AD under it).  build/soabridge links the
 * no-op agent/testhook.c; only the test binary (build/soabridge-test, made
 * by 'make integ') links tests/hooks/testhook.c, which reads the test's
 * environment.  Neither ever changes what is written.
 */
#ifndef SB_TESTHOOK_H
#define SB_TESTHOOK_H

#include <stddef.h>

/*
 * Point where ("gate": before the write gate checks change i, and before a
 * plan's dry run first reads (i 0; its reads are kept); "before",
 * "after": around change i's LDAP write, its journal rows pending;
 * "ad-read": AD's side of a cycle's reads has ended, i 0).
 */
void	agent_testhook_point(const char *where, size_t i);

/*
 * Given the resolver state (struct __res_state *) before the SRV query of
 * ldap.domain: the test build may point it at a test's DNS responder.
 */
void	agent_testhook_resolver(void *res_state);

#endif
