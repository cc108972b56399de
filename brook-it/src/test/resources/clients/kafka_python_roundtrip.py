"""kafka-python: produce N keyed records (acks=all), then read them back with a group-less consumer.

Usage: kafka_python_roundtrip.py BOOTSTRAP TOPIC N
Prints one line per record read: offset<TAB>key<TAB>value.  Exits non-zero on any error."""
import sys

from kafka import KafkaConsumer, KafkaProducer, TopicPartition

bootstrap, topic, n = sys.argv[1], sys.argv[2], int(sys.argv[3])

producer = KafkaProducer(bootstrap_servers=bootstrap, acks='all')
futures = [producer.send(topic, key=('k%d' % i).encode(), value=('kafka-python-%d' % i).encode(), partition=0)
           for i in range(n)]
producer.flush(30)
for f in futures:
    f.get(timeout=30)
producer.close()

consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                         auto_offset_reset='earliest', consumer_timeout_ms=10000)
partition = TopicPartition(topic, 0)
consumer.assign([partition])
consumer.seek_to_beginning(partition)
read = 0
for message in consumer:
    print('%d\t%s\t%s' % (message.offset, message.key.decode(), message.value.decode()))
    read += 1
    if read >= n:
        break
consumer.close()
