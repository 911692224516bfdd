export { buildAppImages, buildImage, type BuildOptions, type BuiltImage } from './build.ts';
export { buildImageSet, builtCount, imageReferences, type ImageRecord, type ImageSet } from './image-set.ts';
export {
  baseImages,
  officialImages,
  overridesFile,
  registryImage,
  usingOfflineImages,
  type BaseImages,
  type BaseImageVariable,
} from './overrides.ts';
export { appImages, imageTag, inputFiles, recipes, type AppImage } from './recipes.ts';
export {
  localSecrets,
  scanFiles,
  scanImage,
  secretsInFile,
  secretsInStep,
  type FilesScan,
  type KnownSecret,
  type SecretFinding,
} from './secret-scan.ts';
