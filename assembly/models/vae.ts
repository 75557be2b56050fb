// The VAE family's kernels (assembly/models/vae/): the network, its training, its scoring and sampling.
export { vaeParamCount, vaeWorkFloats } from "./vae/net";
export { vaeInit, vaeShuffle, vaeBatchGrad, vaeAdamStep, vaeTrain, vaeStepParts, vaeStepUnits, vaeStepUnitCost, vaeStepPart } from "./vae/train";
export { vaeNegElbo, vaeIwBound, vaeIwSamples, vaeIwFinish, vaeDecode, vaeImageStats } from "./vae/score";
export { vaeClassifierParamCount, vaeClassifierWorkFloats, vaeClassifierInit, vaeClassifierTrain, vaeClassify, countsEntropy } from "./vae/classifier";
