export * from './isapi.js';
export * from './illegal-login-lock.js';
