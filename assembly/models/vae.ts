// The VAE family's kernels (assembly/models/vae/): the network, its training, its scoring and sampling.
export { vaeParamCount, vaeWorkFloats } from "./vae/net";
export { vaeInit, vaeShuffle, vaeBatchGrad, vaeAdamStep, vaeTrain } from "./vae/train";
export { vaeNegElbo, vaeIwBound, vaeDecode, vaeImageStats } from "./vae/score";
export { vaeClassifierParamCount, vaeClassifierWorkFloats, vaeClassifierInit, vaeClassifierTrain, vaeClassify, countsEntropy } from "./vae/classifier";
