// kafkajs: produce N keyed records (acks=-1) in sequential batches of 100, printing partition<TAB>baseOffset per batch.
// Usage: node kafkajs_producer.js NODE_MODULES_DIR BOOTSTRAP TOPIC N
const path = require('path');
const [modules, bootstrap, topic, nText] = process.argv.slice(2);
const { Kafka, logLevel } = require(path.join(modules, 'kafkajs'));
const n = Number(nText);

(async () => {
  const kafka = new Kafka({ clientId: 'brook-it-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < n; i += 100) {
      const messages = [];
      for (let j = i; j < Math.min(n, i + 100); j++) messages.push({ key: `k${j}`, value: `kafkajs-${j}`, partition: 0 });
      const result = await producer.send({ topic, acks: -1, messages });
      for (const r of result) console.log(`${r.partition}\t${r.baseOffset}`);
    }
  } finally {
    await producer.disconnect();
  }
})().catch((e) => {
  console.error(`kafkajs failed: ${e.name}: ${e.message}`);
  process.exit(1);
});
