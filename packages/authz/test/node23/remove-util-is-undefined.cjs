// Preloaded (node --require) before anything else: makes this Node look like Node 23+, where
// util.isUndefined no longer exists, before graphql-shield or any rule is loaded.
const util = require('node:util');
delete util.isUndefined;
if ('isUndefined' in util) throw new Error('could not remove util.isUndefined');
