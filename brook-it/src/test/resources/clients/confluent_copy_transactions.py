"""confluent-kafka-python (librdkafka): consume-transform-produce with send_offsets_to_transaction.

Usage: confluent_copy_transactions.py BOOTSTRAP INPUT OUTPUT GROUP TRANSACTIONAL_ID N
Copies N records of INPUT to OUTPUT as 'out-<value>', committing the consumed offsets in each transaction, then
sends offsets 0 for every assigned partition in a transaction it aborts (they must not count). Prints 'done N' and
exits 0 when every call succeeded."""
import sys
import time

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap, input_topic, output_topic, group, transactional_id, n = sys.argv[1:6] + [int(sys.argv[6])]

consumer = Consumer({'bootstrap.servers': bootstrap, 'group.id': group, 'enable.auto.commit': False,
                     'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed'})
producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': transactional_id})
producer.init_transactions(30)
consumer.subscribe([input_topic])

copied = 0
deadline = time.time() + 90
while copied < n:
    if time.time() > deadline:
        print('timed out after %d records' % copied)
        sys.exit(1)
    messages = consumer.consume(num_messages=50, timeout=1.0)
    for m in messages:
        if m.error() is not None:
            raise Exception(m.error())
    if not messages:
        continue
    producer.begin_transaction()
    for m in messages:
        producer.produce(output_topic, key=m.key(), value=b'out-' + m.value())
    producer.send_offsets_to_transaction(consumer.position(consumer.assignment()),
                                         consumer.consumer_group_metadata(), 30)
    producer.commit_transaction(30)
    copied += len(messages)

producer.begin_transaction()
producer.send_offsets_to_transaction([TopicPartition(tp.topic, tp.partition, 0) for tp in consumer.assignment()],
                                     consumer.consumer_group_metadata(), 30)
producer.abort_transaction(30)
consumer.close()
print('done %d' % copied)
