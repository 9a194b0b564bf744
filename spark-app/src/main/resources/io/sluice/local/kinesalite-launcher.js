// Starts npm kinesalite for io.sluice.local.KinesisMock: node -e <this file's text> <kinesalite package dir> <port>.
// Binds to 127.0.0.1 only (kinesalite's own cli.js listens on every interface) and exits on a port clash, so the
// caller sees the failure at once. Stream state changes take 50 ms instead of 500 ms: tests create, split and merge.
const path = require('path');
const packageDir = process.argv[1];
const port = Number(process.argv[2]);
const db = require(path.join(packageDir, 'db'));

// kinesalite 3.3.3 never answers GetShardIterator AT_TIMESTAMP when no record of the shard arrived at or after the
// timestamp (its scan finds nothing and calls back nobody); Kinesis then returns an iterator at the tip, which is
// what LATEST gives. Wrap the action before kinesalite's index.js loads it.
const actionFile = require.resolve(path.join(packageDir, 'actions', 'getShardIterator'));
const getShardIterator = require(actionFile);
require.cache[actionFile].exports = function atTimestampAtTheTip(store, data, cb) {
  if (data.ShardIteratorType !== 'AT_TIMESTAMP' || data.Timestamp == null) {
    return getShardIterator(store, data, cb);
  }
  let shardIx;
  try {
    shardIx = db.resolveShardId(data.ShardId).shardIx;
  } catch (e) {
    return getShardIterator(store, data, cb);
  }
  let decided = false;
  const records = store.getStreamDb(data.StreamName)
      .createReadStream({gt: db.shardIxToHex(shardIx), lt: db.shardIxToHex(shardIx + 1)});
  records.on('data', item => {
    if (!decided && item.value.ApproximateArrivalTimestamp >= data.Timestamp) {
      decided = true;
      records.destroy();
      getShardIterator(store, data, cb);
    }
  });
  records.on('error', () => {
    if (!decided) {
      decided = true;
      getShardIterator(store, data, cb);
    }
  });
  records.on('end', () => {
    if (!decided) {
      decided = true;
      getShardIterator(store, Object.assign({}, data, {ShardIteratorType: 'LATEST', Timestamp: undefined}), cb);
    }
  });
};

// kinesalite 3.3.3 rethrows a request's 'error' event (index.js: req.on('error', err => { throw err })), so a client
// that closes its connection mid-request, as a Spark task does when its query is stopped, kills the whole stand-in.
// Kinesis outlives its clients: an aborted request is dropped here and logged; anything else still ends the process.
process.on('uncaughtException', error => {
  if (error && error.code === 'ECONNRESET') {
    console.error('kinesalite: a client closed its connection mid-request (' + error.message + '); request dropped');
    return;
  }
  console.error(error && error.stack || String(error));
  process.exit(1);
});

const server = require(packageDir)({createStreamMs: 50, deleteStreamMs: 50, updateStreamMs: 50, shardLimit: 1000});
server.on('error', error => {
  console.error(error.stack || String(error));
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => console.log('kinesalite listening on 127.0.0.1:' + port));
