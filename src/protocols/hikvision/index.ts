export * from './isapi.js';
export * from './admin-accesses.js';
export * from './illegal-login-lock.js';
