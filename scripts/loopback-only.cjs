// Preloaded into the Agents Playground by run-local.sh (node -r). The playground has no option for the address it
// listens on and, given only a port, Node listens on every interface. With this, a listen() that names no host binds
// to 127.0.0.1, so the unauthenticated local-mode bot behind it is reachable from this machine only.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (args.length === 1 || typeof args[1] !== 'string') {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (args[0] && typeof args[0] === 'object' && !args[0].host && !args[0].path && !args[0].fd && !(args[0] instanceof net.Server)) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
