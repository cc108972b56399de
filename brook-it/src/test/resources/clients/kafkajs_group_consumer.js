// kafkajs: consume N records as a member of a consumer group (auto-commit after each batch), then leave.
// Usage: node kafkajs_group_consumer.js NODE_MODULES_DIR BOOTSTRAP TOPIC GROUP N
// Prints partition<TAB>offset<TAB>key<TAB>value per record; exits non-zero if fewer than N arrive within 60 s.
const path = require('path');
const [modules, bootstrap, topic, group, nText] = process.argv.slice(2);
const { Kafka, logLevel } = require(path.join(modules, 'kafkajs'));
const n = Number(nText);

(async () => {
  const kafka = new Kafka({ clientId: 'brook-it-kafkajs', brokers: [bootstrap], logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: group });
  await consumer.connect();
  let read = 0;
  let done;
  const allRead = new Promise((resolve) => { done = resolve; });
  const timer = setTimeout(() => done(), 60000);
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        console.log(`${partition}\t${message.offset}\t${message.key.toString()}\t${message.value.toString()}`);
        read += 1;
        if (read >= n) done();
      },
    });
    await allRead;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  if (read < n) {
    console.error(`only ${read} of ${n} records arrived`);
    process.exit(1);
  }
})().catch((e) => {
  console.error(`kafkajs failed: ${e.name}: ${e.message}`);
  process.exit(1);
});
