import { setScryptParamsForTests } from "@/lib/password";

/**
 * Vitest's setup file: passwords hashed in unit tests use scrypt at N=2^10 instead of N=2^17 (the
 * same code, 1/128 of the work). lib/password.test.ts puts the real parameters back and checks
 * them; the browser suite runs production servers, which always use the real ones.
 */
setScryptParamsForTests({ N: 2 ** 10, r: 8, p: 1 });
