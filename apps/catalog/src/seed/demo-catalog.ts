import { CreateProductRequest } from '@app/contracts';

interface CategoryPlan {
  category: string;
  prefix: string;
  /** [product type, low price, high price] in dollars. */
  items: Array<[string, number, number]>;
  variants: string[];
  blurbs: string[];
}

const CATEGORIES: CategoryPlan[] = [
  {
    category: 'kitchen',
    prefix: 'KIT',
    items: [
      ['Chef knife, 20 cm', 35, 120],
      ['Stoneware coffee mug, 350 ml', 9, 24],
      ['Cast iron skillet, 26 cm', 29, 89],
      ['Bamboo cutting board', 15, 45],
      ['French press, 1 l', 19, 59],
      ['Stainless saucepan, 2 l', 25, 95],
      ['Silicone spatula set', 8, 22],
      ['Glass storage jars, set of 4', 18, 40],
      ['Pour-over coffee dripper', 14, 38],
      ['Enamelled dutch oven, 5 l', 69, 249],
    ],
    variants: ['Nordic', 'Classic', 'Pro', 'Terracotta', 'Slate'],
    blurbs: ['Dishwasher safe.', 'Built for daily use in busy kitchens.', 'Ships in recycled packaging.'],
  },
  {
    category: 'electronics',
    prefix: 'ELE',
    items: [
      ['Wireless earbuds', 39, 199],
      ['Bluetooth speaker', 29, 149],
      ['USB-C charger, 65 W', 25, 69],
      ['Mechanical keyboard', 59, 179],
      ['Wireless mouse', 19, 79],
      ['27-inch monitor', 179, 499],
      ['Noise-cancelling headphones', 99, 349],
      ['Portable power bank, 20000 mAh', 29, 79],
      ['Smart LED bulb', 9, 29],
      ['1080p webcam', 35, 119],
    ],
    variants: ['Aero', 'Pulse', 'Nova', 'Volt', 'Echo'],
    blurbs: ['Two-year warranty.', 'USB-C everywhere.', 'Firmware updates over the air.'],
  },
  {
    category: 'books',
    prefix: 'BOO',
    items: [
      ['A field guide to mushrooms', 14, 32],
      ['The patient gardener', 12, 28],
      ['Notes on distributed systems', 29, 59],
      ['Bread, a baker’s year', 19, 39],
      ['Mountains of the north', 16, 45],
      ['The little book of knots', 8, 15],
      ['Modern watercolour', 18, 35],
      ['Cooking with fire', 22, 42],
    ],
    variants: ['hardcover', 'paperback', 'illustrated edition', 'pocket edition', 'second edition'],
    blurbs: ['A reader favourite.', 'Printed on FSC-certified paper.', 'With an index and a glossary.'],
  },
  {
    category: 'outdoor',
    prefix: 'OUT',
    items: [
      ['Trail running shoes', 79, 169],
      ['Down sleeping bag', 129, 399],
      ['Two-person tent', 149, 459],
      ['Insulated water bottle, 750 ml', 19, 45],
      ['Trekking poles, pair', 39, 129],
      ['Headlamp, 400 lumen', 19, 59],
      ['Rain shell jacket', 89, 299],
      ['Daypack, 24 l', 49, 139],
    ],
    variants: ['Alpine', 'Ridge', 'Summit', 'Fjord', 'Canyon'],
    blurbs: ['Tested in the Alps.', 'Repairable, with spare parts sold separately.', 'Lightweight and packable.'],
  },
  {
    category: 'home',
    prefix: 'HOM',
    items: [
      ['Linen bedding set', 89, 249],
      ['Wool throw blanket', 49, 149],
      ['Ceramic table lamp', 45, 159],
      ['Cotton bath towels, set of 2', 19, 59],
      ['Scented soy candle', 12, 34],
      ['Wall clock, 30 cm', 25, 79],
      ['Jute doormat', 15, 39],
      ['Oak picture frame', 12, 45],
    ],
    variants: ['Sand', 'Moss', 'Charcoal', 'Ivory', 'Rust'],
    blurbs: ['Made in Portugal.', 'OEKO-TEX certified.', 'Designed to last for years.'],
  },
  {
    category: 'toys',
    prefix: 'TOY',
    items: [
      ['Wooden building blocks, 100 pieces', 25, 59],
      ['1000-piece jigsaw puzzle', 15, 29],
      ['Remote-control car', 29, 99],
      ['Plush bear, 30 cm', 12, 35],
      ['Board game: Harbour Traders', 29, 55],
      ['Marble run kit', 35, 89],
      ['Kids’ watercolour set', 9, 24],
    ],
    variants: ['Junior', 'Deluxe', 'Travel', 'Family', 'Classic'],
    blurbs: ['For ages 6 and up.', 'Non-toxic paints and finishes.', 'Hours of screen-free fun.'],
  },
  {
    category: 'beauty',
    prefix: 'BEA',
    items: [
      ['Hydrating face cream, 50 ml', 18, 65],
      ['Vitamin C serum, 30 ml', 22, 79],
      ['Mineral sunscreen SPF 50', 14, 35],
      ['Shampoo bar', 8, 16],
      ['Bamboo toothbrush, 4 pack', 7, 14],
      ['Lip balm trio', 6, 15],
    ],
    variants: ['Sensitive', 'Citrus', 'Unscented', 'Rose', 'Cedar'],
    blurbs: ['Vegan and cruelty-free.', 'Dermatologically tested.', 'Plastic-free packaging.'],
  },
  {
    category: 'grocery',
    prefix: 'GRO',
    items: [
      ['Single-origin coffee beans, 1 kg', 18, 42],
      ['Loose-leaf green tea, 250 g', 9, 28],
      ['Extra virgin olive oil, 1 l', 12, 32],
      ['Dark chocolate 72 %, 5 bars', 10, 22],
      ['Wildflower honey, 500 g', 8, 19],
      ['Sourdough starter kit', 12, 25],
    ],
    variants: ['Organic', 'Fair Trade', 'Reserve', 'Everyday', 'Limited harvest'],
    blurbs: ['Packed within a week of roasting.', 'From small producers.', 'Best before: 12 months.'],
  },
];

/** A small deterministic generator: the demo catalog is the same on every machine and every run. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** About 300 realistic products over 8 categories, every variant of every item. */
export function demoCatalog(): CreateProductRequest[] {
  const random = generator(42);
  const products: CreateProductRequest[] = [];
  for (const plan of CATEGORIES) {
    let number = 0;
    for (const [item, low, high] of plan.items) {
      for (const variant of plan.variants) {
        number++;
        const dollars = low + random() * (high - low);
        const priceCents = Math.round(dollars) * 100 - (random() < 0.7 ? 1 : 0);
        const blurb = plan.blurbs[Math.floor(random() * plan.blurbs.length)];
        products.push({
          sku: `${plan.prefix}-${String(number).padStart(4, '0')}`,
          name:
            plan.category === 'books'
              ? `${item} (${variant})`
              : `${variant} ${item.charAt(0).toLowerCase()}${item.slice(1)}`,
          description: `${variant} ${item.toLowerCase()}. ${blurb}`,
          priceCents,
          currency: 'USD',
          stock: random() < 0.05 ? 0 : Math.floor(random() * 200) + 1,
          category: plan.category,
        });
      }
    }
  }
  return products;
}
