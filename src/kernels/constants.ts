// Constants the host must agree on with the kernels.

/** Bytes of one xor4096 state (assembly/rng/xor4096.ts, rngStateBytes()); checked against the kernels at load. */
export const RNG_STATE_BYTES = 544;
