"""kafka-python: consume N records as a member of a consumer group, committing every 50 records and at the end.

Usage: kafka_python_group_consumer.py BOOTSTRAP TOPIC GROUP N
Prints one line per record: partition<TAB>offset<TAB>key<TAB>value.  Exits non-zero on error or if fewer than N
records arrive within 60 s."""
import sys

from kafka import KafkaConsumer

bootstrap, topic, group, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False,
                         auto_offset_reset='earliest', consumer_timeout_ms=60000)
read = 0
for message in consumer:
    print('%d\t%d\t%s\t%s' % (message.partition, message.offset, message.key.decode(), message.value.decode()))
    read += 1
    if read % 50 == 0:
        consumer.commit()
    if read >= n:
        break
consumer.commit()
consumer.close()
if read < n:
    print('only %d of %d records arrived' % (read, n), file=sys.stderr)
    sys.exit(1)
