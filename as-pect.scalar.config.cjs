// The kernel specs with SIMD disabled (scalar paths); see as-pect.config.cjs.
'use strict';
module.exports = require('./as-pect.config.cjs').configure('scalar');
