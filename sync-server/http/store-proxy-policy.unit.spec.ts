// The /couch proxy lets a device replicate event databases and do nothing else, whatever its credentials allow.
import { describe, expect, it } from 'vitest';
import { storeRequestRefusal } from './store-proxy-policy';

const fact = { _id: '01KDEM00000000000000000001', type: 'SaleRecorded', _deleted: false };
const catalogue = '/stagedoor-catalogue';
const concert = '/stagedoor-concert-beyonce-warsaw';
const orders = '/stagedoor-orders';

describe('the store proxy', () => {
  it.each([
    ['GET', `${catalogue}/`],
    ['GET', `${concert}/_changes?style=all_docs&feed=normal&since=0&include_docs=true&limit=500`],
    ['POST', `${concert}/_all_docs?`],
    ['GET', `${concert}/_all_docs?include_docs=true&keys=["a"]`],
    ['POST', `${concert}/_bulk_get`],
    ['POST', `${concert}/_revs_diff`],
    ['GET', `${concert}/_local/checkpoint-1`],
    ['PUT', `${concert}/_local/checkpoint-1`],
    ['GET', `${orders}/`],
    ['GET', `${orders}/_changes?style=all_docs&feed=normal&since=0&include_docs=true&limit=1000`],
    ['POST', `${orders}/_bulk_get`],
    ['PUT', `${orders}/_local/checkpoint-1`],
  ])('lets replication through: %s %s', (method, path) => {
    expect(storeRequestRefusal(method, path, {})).toBeUndefined();
  });

  it('lets a device write facts', () => {
    expect(storeRequestRefusal('POST', `${concert}/_bulk_docs`, { docs: [fact] })).toBeUndefined();
  });

  it('lets a desk write its cart and payment facts to the orders database', () => {
    const cart = { _id: '01KDEM00000000000000000002', type: 'CartConfirmed' };
    expect(storeRequestRefusal('POST', `${orders}/_bulk_docs`, { docs: [cart] })).toBeUndefined();
  });

  it.each([
    ['GET', '/_all_dbs'],
    ['GET', '/_users/_all_docs'],
    ['PUT', '/_config/admins/x'],
    ['GET', '/stagedoor-authority/_all_docs'],
    ['PUT', `${concert}-new/`],
    ['DELETE', `${concert}/`],
    ['GET', `${concert}/_design/stagedoor`],
    ['PUT', `${concert}/01KDEM00000000000000000001`],
    ['GET', `${concert}/_changes?filter=_selector`],
    ['POST', `${concert}/_find`],
    ['GET', `${concert}/_local/a/b`],
    ['PUT', `${orders}-new/`],
    ['GET', `${orders}/_design/stagedoor`],
  ])('refuses everything else: %s %s', (method, path) => {
    expect(storeRequestRefusal(method, path, {})).toEqual(expect.any(String));
  });

  it.each([
    ['a design document', { docs: [{ _id: '_design/evil', validate_doc_update: '' }] }],
    ['an authority decision', { docs: [{ _id: 'concert-x:0000000001' }] }],
    ['an order decision', { docs: [{ _id: 'order-7KQ2-M9XD:0000000001' }] }],
    ['a request to a concert', { docs: [{ _id: 'request:o1:seats:c1:reserve' }] }],
    ['a relay', { docs: [{ _id: 'relay:concert-c1:0000000003' }] }],
    ['a quarantine record', { docs: [{ _id: 'quarantine:01KDEM00000000000000000001' }] }],
    ['a deletion', { docs: [{ ...fact, _deleted: true }] }],
    ['forced revisions', { docs: [fact], new_edits: false }],
    ['no docs at all', { doc: fact }],
  ])('refuses a bulk write of %s', (_what, body) => {
    expect(storeRequestRefusal('POST', `${concert}/_bulk_docs`, body)).toEqual(expect.any(String));
  });
});
