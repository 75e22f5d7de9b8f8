// Preloaded into a served process (NODE_OPTIONS=--require) by tests: `localhost` resolves to
// 127.0.0.1 and ::1, as in a pod (kubelet writes both into /etc/hosts) and on most distributions,
// whatever this machine's /etc/hosts says.
const dns = require('node:dns');
const lookup = dns.lookup;
dns.lookup = function (host, options, callback) {
  if (host === 'localhost' && typeof options === 'object' && options !== null && options.all) {
    process.nextTick(callback, null, [{ address: '127.0.0.1', family: 4 }, { address: '::1', family: 6 }]);
    return;
  }
  return lookup.apply(this, arguments);
};
