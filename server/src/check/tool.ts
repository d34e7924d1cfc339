/** The tool as SARIF and the JSON output name it (package.json's name, version and repository). */
import pkg from '../../../package.json';

export const TOOL = {
  name: 'deploy-advisor',
  version: process.env.DEPLOY_ADVISOR_VERSION ?? pkg.version,
  informationUri: pkg.repository.url.replace(/\.git$/, ''),
};
