export * from './build-message.js';
export * from './parse-message.js';
export * from './scopes.js';
export * from './classify-endpoint.js';
export * from './endpoint-mac.js';
export * from './constants.js';
