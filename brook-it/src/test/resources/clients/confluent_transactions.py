"""confluent-kafka-python (librdkafka): a transactional producer commits one transaction and aborts another.

Usage: confluent_transactions.py BOOTSTRAP TOPIC TRANSACTIONAL_ID N
Commits N records 'committed-i' over the topic's partitions 0 and 1, then produces N records 'aborted-i' and aborts.
Prints 'done' and exits 0 when every transactional call succeeded."""
import sys

from confluent_kafka import Producer

bootstrap, topic, transactional_id, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

producer = Producer({'bootstrap.servers': bootstrap, 'transactional.id': transactional_id})
producer.init_transactions(30)

producer.begin_transaction()
for i in range(n):
    producer.produce(topic, key='k%d' % i, value='committed-%d' % i, partition=i % 2)
producer.commit_transaction(30)

producer.begin_transaction()
for i in range(n):
    producer.produce(topic, key='k%d' % i, value='aborted-%d' % i, partition=i % 2)
producer.flush(30)
producer.abort_transaction(30)
print('done')
