export { ApiError, createApiClient, errorBodyOf, type ApiClient, type ApiClientOptions } from './client.ts';
export { taskApi, type TaskApi } from './tasks.ts';
export type * from './types.ts';
export {
  AuthError,
  createAuthService,
  fieldOf,
  type AuthField,
  type AuthService,
  type AuthUser,
} from './auth.ts';
export { newId } from './ids.ts';
