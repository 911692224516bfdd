export { git, gitInfo, repositoryFiles, type GitInfo } from './git.ts';
