import { productKey, productTag } from './read-cache-keys';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('read cache keys', () => {
  it.each([
    ['upper case', ID.toUpperCase()],
    ['mixed case', '0F8FAD5B-d9cb-469f-A165-70867728950E'],
  ])('files a product id spelled in %s under the key and tag of the lower-case id', (_case, spelled) => {
    expect(productKey(spelled)).toBe(productKey(ID));
    expect(productTag(spelled)).toBe(productTag(ID));
  });
});
