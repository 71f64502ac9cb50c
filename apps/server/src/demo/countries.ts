import type { CountryCode as PhoneCountry } from 'libphonenumber-js/max';
import type { Culture } from './names';
import type { Prng } from './prng';

/**
 * Countries the demo donors live in: time zones, currency, phone number shapes, cities and
 * address formats. Cities carry their own IANA zone (and, for North America and Brazil, the area
 * codes used there) so a donor's phone, city and time zone agree.
 */
export type DemoCountry =
  'GB' | 'IE' | 'US' | 'CA' | 'AU' | 'DE' | 'FR' | 'ES' | 'NL' | 'IN' | 'KE' | 'JP' | 'BR' | 'KR' | 'GR';

export interface City {
  name: string;
  timeZone: string;
  postcode: (r: Prng) => string;
  /** Telephone area codes (NANP, Brazil): mobile numbers there are geographic. */
  areaCodes?: readonly string[];
  /** Overrides the country's language for donors of the country's majority culture (e.g. Montréal). */
  language?: string;
  /** Street names for this city, when they differ from the country's. */
  streets?: readonly string[];
}

export interface Country {
  code: DemoCountry & PhoneCountry;
  weight: number;
  currency: string;
  /** Digits after the decimal point in `currency`: amounts are stored in minor units. */
  currencyDigits: 0 | 2;
  /** Roughly how many units of `currency` a pound buys, rounded for friendly gift amounts. */
  perPound: number;
  /** Everyday language of the country (BCP 47). */
  language: string;
  /** Another language a share of the majority speaks (e.g. hi in India). */
  altLanguage?: readonly [string, number];
  cultures: readonly (readonly [Culture, number])[];
  cities: readonly (readonly [City, number])[];
  streets: readonly string[];
  /** How a street address line is written from a street name and a house number. */
  addressLine: (street: string, houseNumber: number) => string;
  /** A candidate national significant number (no trunk prefix) for a mobile phone. */
  mobile: (r: Prng, city: City) => string;
}

const UK_INWARD_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const CA_LETTERS = 'ABCEGHJKLMNPRSTVWXYZ';
const EIRCODE_CHARS = 'ACDEFHKNPRTVWXY0123456789';

function letters(r: Prng, alphabet: string, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += alphabet.charAt(r.int(0, alphabet.length - 1));
  return s;
}
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const ukPostcode = (areas: readonly string[]) => (r: Prng) =>
  `${r.pick(areas)}${r.int(1, 20)} ${r.int(1, 9)}${letters(r, UK_INWARD_LETTERS, 2)}`;
const eircode = (routingKeys: readonly string[]) => (r: Prng) =>
  `${r.pick(routingKeys)} ${letters(r, EIRCODE_CHARS, 4)}`;
const numericPostcode = (from: number, to: number, width: number) => (r: Prng) => pad(r.int(from, to), width);
const usZip = (from: number, to: number) => numericPostcode(from, to, 5);
const caPostcode = (first: string) => (r: Prng) =>
  `${first}${r.int(0, 9)}${letters(r, CA_LETTERS, 1)} ${r.int(0, 9)}${letters(r, CA_LETTERS, 1)}${r.int(0, 9)}`;
const nlPostcode = (from: number, to: number) => (r: Prng) =>
  `${r.int(from, to)} ${letters(r, 'ABCDEGHJKLMNPRSTVWXZ', 2)}`;
const brCep = (from: number, to: number) => (r: Prng) => `${pad(r.int(from, to), 5)}-${pad(r.int(0, 999), 3)}`;
const jpPostcode = (from: number, to: number) => (r: Prng) => `${pad(r.int(from, to), 3)}-${pad(r.int(0, 9999), 4)}`;
const grPostcode = (from: number, to: number) => (r: Prng) => {
  const n = pad(r.int(from, to), 5);
  return `${n.slice(0, 3)} ${n.slice(3)}`;
};

/** NANP: area code + exchange (2–9 then two digits) + line number. */
const nanpMobile = (r: Prng, city: City) => `${r.pick(city.areaCodes ?? ['212'])}${r.int(2, 9)}${r.digits(6)}`;

export const COUNTRIES: readonly Country[] = [
  {
    code: 'GB',
    weight: 30,
    currency: 'GBP',
    currencyDigits: 2,
    perPound: 1,
    language: 'en',
    cultures: [
      ['english', 62],
      ['irish', 6],
      ['indian', 9],
      ['polish', 5],
      ['chinese', 3],
      ['arabic', 4],
      ['greek', 2],
      ['italian', 3],
      ['kenyan', 2],
      ['nordic', 1],
      ['french', 1],
      ['spanish', 2],
    ],
    cities: [
      [{ name: 'London', timeZone: 'Europe/London', postcode: ukPostcode(['E', 'N', 'SE', 'SW', 'W', 'NW']) }, 30],
      [{ name: 'Manchester', timeZone: 'Europe/London', postcode: ukPostcode(['M']) }, 9],
      [{ name: 'Birmingham', timeZone: 'Europe/London', postcode: ukPostcode(['B']) }, 9],
      [{ name: 'Leeds', timeZone: 'Europe/London', postcode: ukPostcode(['LS']) }, 6],
      [{ name: 'Glasgow', timeZone: 'Europe/London', postcode: ukPostcode(['G']) }, 6],
      [{ name: 'Edinburgh', timeZone: 'Europe/London', postcode: ukPostcode(['EH']) }, 5],
      [{ name: 'Bristol', timeZone: 'Europe/London', postcode: ukPostcode(['BS']) }, 5],
      [{ name: 'Cardiff', timeZone: 'Europe/London', postcode: ukPostcode(['CF']) }, 4],
      [{ name: 'Belfast', timeZone: 'Europe/London', postcode: ukPostcode(['BT']) }, 4],
      [{ name: 'Liverpool', timeZone: 'Europe/London', postcode: ukPostcode(['L']) }, 5],
      [{ name: 'Newcastle upon Tyne', timeZone: 'Europe/London', postcode: ukPostcode(['NE']) }, 4],
      [{ name: 'Norwich', timeZone: 'Europe/London', postcode: ukPostcode(['NR']) }, 3],
    ],
    streets: [
      'High Street',
      'Church Road',
      'Station Road',
      'Victoria Road',
      'Park Lane',
      "Queen's Road",
      'Mill Lane',
      'The Crescent',
      'Kingsway',
      "St John's Close",
    ],
    addressLine: (s, n) => `${n} ${s}`,
    // 07xxx mobiles; 7624 (Isle of Man) and some Channel Islands ranges are filtered by the country check.
    mobile: (r) => `7${r.pick(['1', '2', '3', '4', '5', '7', '8', '9'])}${r.digits(8)}`,
  },
  {
    code: 'IE',
    weight: 6,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'en',
    cultures: [
      ['irish', 70],
      ['english', 12],
      ['polish', 8],
      ['french', 2],
      ['spanish', 2],
      ['chinese', 2],
      ['indian', 2],
      ['arabic', 2],
    ],
    cities: [
      [
        {
          name: 'Dublin',
          timeZone: 'Europe/Dublin',
          postcode: eircode(['D01', 'D02', 'D04', 'D06', 'D08', 'D12', 'D15', 'D24']),
        },
        50,
      ],
      [{ name: 'Cork', timeZone: 'Europe/Dublin', postcode: eircode(['T12', 'T23']) }, 20],
      [{ name: 'Galway', timeZone: 'Europe/Dublin', postcode: eircode(['H91']) }, 15],
      [{ name: 'Limerick', timeZone: 'Europe/Dublin', postcode: eircode(['V94']) }, 15],
    ],
    streets: [
      'Main Street',
      "O'Connell Street",
      'Bridge Street',
      'Church Road',
      'Seaview Terrace',
      'Abbey Road',
      'Sráid an Mhuilinn',
    ],
    addressLine: (s, n) => `${n} ${s}`,
    mobile: (r) => `8${r.pick(['3', '5', '6', '7', '9'])}${r.digits(7)}`,
  },
  {
    code: 'US',
    weight: 18,
    currency: 'USD',
    currencyDigits: 2,
    perPound: 1,
    language: 'en',
    cultures: [
      ['english', 50],
      ['spanish', 17],
      ['chinese', 5],
      ['korean', 4],
      ['italian', 6],
      ['irish', 6],
      ['russian', 3],
      ['arabic', 2],
      ['vietnamese', 3],
      ['indian', 4],
    ],
    cities: [
      [
        {
          name: 'New York',
          timeZone: 'America/New_York',
          postcode: usZip(10001, 10282),
          areaCodes: ['212', '646', '718', '917'],
        },
        16,
      ],
      [{ name: 'Boston', timeZone: 'America/New_York', postcode: usZip(2108, 2137), areaCodes: ['617', '857'] }, 6],
      [
        {
          name: 'Atlanta',
          timeZone: 'America/New_York',
          postcode: usZip(30303, 30350),
          areaCodes: ['404', '470', '678'],
        },
        6,
      ],
      [{ name: 'Miami', timeZone: 'America/New_York', postcode: usZip(33125, 33199), areaCodes: ['305', '786'] }, 6],
      [
        {
          name: 'Chicago',
          timeZone: 'America/Chicago',
          postcode: usZip(60601, 60661),
          areaCodes: ['312', '773', '872'],
        },
        12,
      ],
      [
        {
          name: 'Houston',
          timeZone: 'America/Chicago',
          postcode: usZip(77002, 77099),
          areaCodes: ['713', '832', '281'],
        },
        8,
      ],
      [{ name: 'Minneapolis', timeZone: 'America/Chicago', postcode: usZip(55401, 55488), areaCodes: ['612'] }, 4],
      [{ name: 'Denver', timeZone: 'America/Denver', postcode: usZip(80202, 80299), areaCodes: ['303', '720'] }, 8],
      [
        {
          name: 'Salt Lake City',
          timeZone: 'America/Denver',
          postcode: usZip(84101, 84199),
          areaCodes: ['801', '385'],
        },
        4,
      ],
      [
        {
          name: 'Phoenix',
          timeZone: 'America/Phoenix',
          postcode: usZip(85003, 85099),
          areaCodes: ['602', '480', '623'],
        },
        5,
      ],
      [
        {
          name: 'Los Angeles',
          timeZone: 'America/Los_Angeles',
          postcode: usZip(90001, 90089),
          areaCodes: ['213', '310', '323', '818'],
        },
        12,
      ],
      [
        {
          name: 'San Francisco',
          timeZone: 'America/Los_Angeles',
          postcode: usZip(94102, 94134),
          areaCodes: ['415', '628'],
        },
        6,
      ],
      [{ name: 'Seattle', timeZone: 'America/Los_Angeles', postcode: usZip(98101, 98199), areaCodes: ['206'] }, 5],
      [
        { name: 'Portland', timeZone: 'America/Los_Angeles', postcode: usZip(97201, 97239), areaCodes: ['503', '971'] },
        3,
      ],
      [{ name: 'Honolulu', timeZone: 'Pacific/Honolulu', postcode: usZip(96801, 96850), areaCodes: ['808'] }, 1],
    ],
    streets: [
      'Main Street',
      'Oak Avenue',
      'Maple Drive',
      'Washington Street',
      'Elm Street',
      'Lakeview Road',
      'Sunset Boulevard',
      'Pine Street',
      'Cedar Lane',
      'Martin Luther King Jr. Way',
    ],
    addressLine: (s, n) => `${n * 10 + (n % 7)} ${s}`,
    mobile: nanpMobile,
  },
  {
    code: 'CA',
    weight: 6,
    currency: 'CAD',
    currencyDigits: 2,
    perPound: 1.5,
    language: 'en',
    cultures: [
      ['english', 50],
      ['french', 25],
      ['chinese', 8],
      ['indian', 7],
      ['italian', 3],
      ['arabic', 3],
      ['korean', 2],
      ['vietnamese', 2],
    ],
    cities: [
      [
        { name: 'Toronto', timeZone: 'America/Toronto', postcode: caPostcode('M'), areaCodes: ['416', '647', '437'] },
        30,
      ],
      [{ name: 'Ottawa', timeZone: 'America/Toronto', postcode: caPostcode('K'), areaCodes: ['613', '343'] }, 8],
      [
        {
          name: 'Montréal',
          timeZone: 'America/Toronto',
          postcode: caPostcode('H'),
          areaCodes: ['514', '438'],
          language: 'fr',
          streets: [
            'rue Sainte-Catherine',
            'boulevard Saint-Laurent',
            'avenue du Mont-Royal',
            'rue Saint-Denis',
            'rue Notre-Dame',
          ],
        },
        20,
      ],
      [{ name: 'Vancouver', timeZone: 'America/Vancouver', postcode: caPostcode('V'), areaCodes: ['604', '778'] }, 16],
      [{ name: 'Calgary', timeZone: 'America/Edmonton', postcode: caPostcode('T'), areaCodes: ['403', '587'] }, 10],
      [{ name: 'Winnipeg', timeZone: 'America/Winnipeg', postcode: caPostcode('R'), areaCodes: ['204', '431'] }, 6],
      [{ name: 'Halifax', timeZone: 'America/Halifax', postcode: caPostcode('B'), areaCodes: ['902', '782'] }, 5],
      [{ name: "St. John's", timeZone: 'America/St_Johns', postcode: caPostcode('A'), areaCodes: ['709'] }, 2],
    ],
    streets: [
      'Yonge Street',
      'Maple Avenue',
      'King Street West',
      'Queen Street',
      'Lakeshore Drive',
      'Bay Street',
      'Wellington Crescent',
    ],
    addressLine: (s, n) => `${n * 10 + (n % 9)} ${s}`,
    mobile: nanpMobile,
  },
  {
    code: 'AU',
    weight: 6,
    currency: 'AUD',
    currencyDigits: 2,
    perPound: 2,
    language: 'en',
    cultures: [
      ['english', 60],
      ['chinese', 9],
      ['vietnamese', 5],
      ['greek', 6],
      ['italian', 6],
      ['indian', 7],
      ['arabic', 3],
      ['korean', 2],
      ['irish', 2],
    ],
    cities: [
      [{ name: 'Sydney', timeZone: 'Australia/Sydney', postcode: numericPostcode(2000, 2234, 4) }, 30],
      [{ name: 'Melbourne', timeZone: 'Australia/Melbourne', postcode: numericPostcode(3000, 3207, 4) }, 28],
      [{ name: 'Brisbane', timeZone: 'Australia/Brisbane', postcode: numericPostcode(4000, 4179, 4) }, 16],
      [{ name: 'Perth', timeZone: 'Australia/Perth', postcode: numericPostcode(6000, 6199, 4) }, 13],
      [{ name: 'Adelaide', timeZone: 'Australia/Adelaide', postcode: numericPostcode(5000, 5199, 4) }, 9],
      [{ name: 'Hobart', timeZone: 'Australia/Hobart', postcode: numericPostcode(7000, 7099, 4) }, 4],
    ],
    streets: [
      'George Street',
      'Bourke Street',
      'Beach Road',
      'Wattle Avenue',
      'Gum Tree Close',
      'Station Street',
      'Banksia Drive',
    ],
    addressLine: (s, n) => `${n} ${s}`,
    mobile: (r) => `4${r.digits(8)}`,
  },
  {
    code: 'DE',
    weight: 6,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'de',
    cultures: [
      ['german', 72],
      ['turkish', 10],
      ['russian', 5],
      ['polish', 5],
      ['greek', 3],
      ['italian', 3],
      ['arabic', 2],
      ['nordic', 1],
    ],
    cities: [
      [{ name: 'Berlin', timeZone: 'Europe/Berlin', postcode: numericPostcode(10115, 14199, 5) }, 25],
      [{ name: 'Hamburg', timeZone: 'Europe/Berlin', postcode: numericPostcode(20095, 22769, 5) }, 15],
      [{ name: 'München', timeZone: 'Europe/Berlin', postcode: numericPostcode(80331, 81929, 5) }, 15],
      [{ name: 'Köln', timeZone: 'Europe/Berlin', postcode: numericPostcode(50667, 51149, 5) }, 12],
      [{ name: 'Frankfurt am Main', timeZone: 'Europe/Berlin', postcode: numericPostcode(60306, 60599, 5) }, 10],
      [{ name: 'Düsseldorf', timeZone: 'Europe/Berlin', postcode: numericPostcode(40210, 40629, 5) }, 8],
      [{ name: 'Leipzig', timeZone: 'Europe/Berlin', postcode: numericPostcode(4103, 4357, 5) }, 8],
    ],
    streets: [
      'Hauptstraße',
      'Bahnhofstraße',
      'Schillerstraße',
      'Gartenweg',
      'Lindenallee',
      'Goethestraße',
      'Am Mühlbach',
      'Königsallee',
    ],
    addressLine: (s, n) => `${s} ${n}`,
    mobile: (r) =>
      `${r.pick(['151', '152', '157', '159', '160', '162', '170', '171', '172', '173', '174', '175', '176', '177', '178', '179'])}${r.digits(8)}`,
  },
  {
    code: 'FR',
    weight: 5,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'fr',
    cultures: [
      ['french', 75],
      ['arabic', 10],
      ['spanish', 4],
      ['italian', 4],
      ['vietnamese', 4],
      ['portuguese', 3],
    ],
    cities: [
      [{ name: 'Paris', timeZone: 'Europe/Paris', postcode: numericPostcode(75001, 75020, 5) }, 30],
      [{ name: 'Lyon', timeZone: 'Europe/Paris', postcode: numericPostcode(69001, 69009, 5) }, 15],
      [{ name: 'Marseille', timeZone: 'Europe/Paris', postcode: numericPostcode(13001, 13016, 5) }, 15],
      [{ name: 'Toulouse', timeZone: 'Europe/Paris', postcode: numericPostcode(31000, 31500, 5) }, 10],
      [{ name: 'Lille', timeZone: 'Europe/Paris', postcode: numericPostcode(59000, 59800, 5) }, 10],
      [{ name: 'Nantes', timeZone: 'Europe/Paris', postcode: numericPostcode(44000, 44300, 5) }, 10],
      [{ name: 'Strasbourg', timeZone: 'Europe/Paris', postcode: numericPostcode(67000, 67200, 5) }, 10],
    ],
    streets: [
      'rue de la République',
      'avenue Victor-Hugo',
      'boulevard Saint-Michel',
      'rue des Écoles',
      "place de l'Église",
      'allée des Tilleuls',
      'rue du Général-de-Gaulle',
    ],
    addressLine: (s, n) => `${n} ${s}`,
    mobile: (r) => `${r.pick(['6', '7'])}${r.digits(8)}`,
  },
  {
    code: 'ES',
    weight: 4,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'es',
    cultures: [
      ['spanish', 88],
      ['arabic', 4],
      ['french', 3],
      ['english', 3],
      ['portuguese', 2],
    ],
    cities: [
      [{ name: 'Madrid', timeZone: 'Europe/Madrid', postcode: numericPostcode(28001, 28055, 5) }, 30],
      [{ name: 'Barcelona', timeZone: 'Europe/Madrid', postcode: numericPostcode(8001, 8042, 5) }, 25],
      [{ name: 'Sevilla', timeZone: 'Europe/Madrid', postcode: numericPostcode(41001, 41020, 5) }, 10],
      [{ name: 'Valencia', timeZone: 'Europe/Madrid', postcode: numericPostcode(46001, 46026, 5) }, 10],
      [{ name: 'Bilbao', timeZone: 'Europe/Madrid', postcode: numericPostcode(48001, 48015, 5) }, 8],
      [{ name: 'Málaga', timeZone: 'Europe/Madrid', postcode: numericPostcode(29001, 29018, 5) }, 8],
      [
        { name: 'Las Palmas de Gran Canaria', timeZone: 'Atlantic/Canary', postcode: numericPostcode(35001, 35019, 5) },
        5,
      ],
    ],
    streets: [
      'Calle Mayor',
      'Avenida de la Constitución',
      'Plaza de España',
      'Calle de Alcalá',
      'Carrer de Mallorca',
      'Calle del Olivo',
      'Paseo de la Castellana',
    ],
    addressLine: (s, n) => `${s}, ${n}`,
    mobile: (r) => (r.chance(0.85) ? `6${r.digits(8)}` : `7${r.int(1, 4)}${r.digits(7)}`),
  },
  {
    code: 'NL',
    weight: 3,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'nl',
    cultures: [
      ['dutch', 80],
      ['turkish', 6],
      ['arabic', 6],
      ['german', 3],
      ['indian', 5],
    ],
    cities: [
      [{ name: 'Amsterdam', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(1011, 1109) }, 30],
      [{ name: 'Rotterdam', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(3011, 3089) }, 20],
      [{ name: 'Utrecht', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(3511, 3585) }, 15],
      [{ name: 'Den Haag', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(2511, 2597) }, 15],
      [{ name: 'Eindhoven', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(5611, 5658) }, 10],
      [{ name: 'Groningen', timeZone: 'Europe/Amsterdam', postcode: nlPostcode(9711, 9747) }, 10],
    ],
    streets: [
      'Keizersgracht',
      'Dorpsstraat',
      'Kerkstraat',
      'Molenweg',
      'Stationsplein',
      'Prinsengracht',
      'Julianalaan',
    ],
    addressLine: (s, n) => `${s} ${n}`,
    mobile: (r) => `6${r.int(1, 5)}${r.digits(7)}`,
  },
  {
    code: 'IN',
    weight: 4,
    currency: 'INR',
    currencyDigits: 2,
    perPound: 100,
    language: 'en',
    altLanguage: ['hi', 0.4],
    cultures: [['indian', 100]],
    cities: [
      [{ name: 'Mumbai', timeZone: 'Asia/Kolkata', postcode: numericPostcode(400001, 400104, 6) }, 25],
      [{ name: 'New Delhi', timeZone: 'Asia/Kolkata', postcode: numericPostcode(110001, 110096, 6) }, 25],
      [{ name: 'Bengaluru', timeZone: 'Asia/Kolkata', postcode: numericPostcode(560001, 560100, 6) }, 20],
      [{ name: 'Chennai', timeZone: 'Asia/Kolkata', postcode: numericPostcode(600001, 600119, 6) }, 10],
      [{ name: 'Kolkata', timeZone: 'Asia/Kolkata', postcode: numericPostcode(700001, 700156, 6) }, 10],
      [{ name: 'Pune', timeZone: 'Asia/Kolkata', postcode: numericPostcode(411001, 411062, 6) }, 10],
    ],
    streets: ['MG Road', 'Park Street', 'Nehru Nagar', 'Linking Road', 'Anna Salai', 'Residency Road', 'Sector 5'],
    addressLine: (s, n) => `${n}, ${s}`,
    mobile: (r) => `${r.int(6, 9)}${r.digits(9)}`,
  },
  {
    code: 'KE',
    weight: 4,
    currency: 'KES',
    currencyDigits: 2,
    perPound: 150,
    language: 'en',
    altLanguage: ['sw', 0.5],
    cultures: [
      ['kenyan', 95],
      ['indian', 5],
    ],
    cities: [
      [{ name: 'Nairobi', timeZone: 'Africa/Nairobi', postcode: numericPostcode(100, 623, 5) }, 50],
      [{ name: 'Mombasa', timeZone: 'Africa/Nairobi', postcode: () => '80100' }, 20],
      [{ name: 'Kisumu', timeZone: 'Africa/Nairobi', postcode: () => '40100' }, 12],
      [{ name: 'Nakuru', timeZone: 'Africa/Nairobi', postcode: () => '20100' }, 10],
      [{ name: 'Eldoret', timeZone: 'Africa/Nairobi', postcode: () => '30100' }, 8],
    ],
    streets: [
      'Kenyatta Avenue',
      'Moi Avenue',
      'Ngong Road',
      'Waiyaki Way',
      'Oginga Odinga Street',
      'Haile Selassie Avenue',
    ],
    addressLine: (s, n) => `${n} ${s}`,
    mobile: (r) => `7${r.pick(['0', '1', '2', '4', '5', '9'])}${r.digits(7)}`,
  },
  {
    code: 'JP',
    weight: 3,
    // JPY has no minor unit: its amounts are stored as whole yen in amountMinor.
    currency: 'JPY',
    currencyDigits: 0,
    perPound: 150,
    language: 'ja',
    cultures: [['japanese', 100]],
    cities: [
      [
        {
          name: '東京',
          timeZone: 'Asia/Tokyo',
          postcode: jpPostcode(100, 208),
          streets: ['渋谷区神南', '新宿区西新宿', '千代田区丸の内', '世田谷区三軒茶屋', '台東区浅草'],
        },
        40,
      ],
      [
        {
          name: '大阪',
          timeZone: 'Asia/Tokyo',
          postcode: jpPostcode(530, 559),
          streets: ['北区梅田', '中央区難波', '天王寺区上本町'],
        },
        20,
      ],
      [
        {
          name: '京都',
          timeZone: 'Asia/Tokyo',
          postcode: jpPostcode(600, 616),
          streets: ['下京区四条通', '東山区祇園町', '左京区岡崎'],
        },
        12,
      ],
      [
        { name: '札幌', timeZone: 'Asia/Tokyo', postcode: jpPostcode(60, 65), streets: ['中央区大通西', '北区北七条'] },
        10,
      ],
      [
        {
          name: '福岡',
          timeZone: 'Asia/Tokyo',
          postcode: jpPostcode(810, 819),
          streets: ['博多区博多駅前', '中央区天神'],
        },
        10,
      ],
      [
        { name: '名古屋', timeZone: 'Asia/Tokyo', postcode: jpPostcode(450, 468), streets: ['中村区名駅', '中区栄'] },
        8,
      ],
    ],
    streets: ['中央'],
    addressLine: (s, n) => `${s}${(n % 5) + 1}-${n}-${(n % 13) + 1}`,
    mobile: (r) => `${r.pick(['70', '80', '90'])}${r.digits(8)}`,
  },
  {
    code: 'BR',
    weight: 3,
    currency: 'BRL',
    currencyDigits: 2,
    perPound: 6,
    language: 'pt',
    cultures: [
      ['portuguese', 80],
      ['italian', 8],
      ['japanese', 6],
      ['german', 3],
      ['arabic', 3],
    ],
    cities: [
      [{ name: 'São Paulo', timeZone: 'America/Sao_Paulo', postcode: brCep(1000, 5999), areaCodes: ['11'] }, 35],
      [{ name: 'Rio de Janeiro', timeZone: 'America/Sao_Paulo', postcode: brCep(20000, 23799), areaCodes: ['21'] }, 20],
      [{ name: 'Belo Horizonte', timeZone: 'America/Sao_Paulo', postcode: brCep(30000, 31999), areaCodes: ['31'] }, 10],
      [{ name: 'Porto Alegre', timeZone: 'America/Sao_Paulo', postcode: brCep(90000, 91999), areaCodes: ['51'] }, 8],
      [{ name: 'Salvador', timeZone: 'America/Bahia', postcode: brCep(40000, 42599), areaCodes: ['71'] }, 10],
      [{ name: 'Recife', timeZone: 'America/Recife', postcode: brCep(50000, 52999), areaCodes: ['81'] }, 9],
      [{ name: 'Manaus', timeZone: 'America/Manaus', postcode: brCep(69000, 69099), areaCodes: ['92'] }, 8],
    ],
    streets: [
      'Rua Augusta',
      'Avenida Paulista',
      'Rua das Flores',
      'Avenida Atlântica',
      'Rua São João',
      'Travessa da Conceição',
    ],
    addressLine: (s, n) => `${s}, ${n * 10 + (n % 7)}`,
    mobile: (r, city) => `${r.pick(city.areaCodes ?? ['11'])}9${r.int(6, 9)}${r.digits(7)}`,
  },
  {
    code: 'KR',
    weight: 1,
    // KRW has no minor unit either: whole won.
    currency: 'KRW',
    currencyDigits: 0,
    perPound: 1500,
    language: 'ko',
    cultures: [['korean', 100]],
    cities: [
      [
        {
          name: '서울',
          timeZone: 'Asia/Seoul',
          postcode: numericPostcode(1000, 8866, 5),
          streets: ['세종대로', '테헤란로', '올림픽로'],
        },
        60,
      ],
      [
        {
          name: '부산',
          timeZone: 'Asia/Seoul',
          postcode: numericPostcode(46000, 49527, 5),
          streets: ['해운대로', '중앙대로'],
        },
        25,
      ],
      [
        {
          name: '인천',
          timeZone: 'Asia/Seoul',
          postcode: numericPostcode(21000, 23136, 5),
          streets: ['인하로', '송도과학로'],
        },
        15,
      ],
    ],
    streets: ['중앙로'],
    addressLine: (s, n) => `${s} ${n}`,
    mobile: (r) => `10${r.int(2, 9)}${r.digits(7)}`,
  },
  {
    code: 'GR',
    weight: 1,
    currency: 'EUR',
    currencyDigits: 2,
    perPound: 1,
    language: 'el',
    cultures: [['greek', 100]],
    cities: [
      [{ name: 'Αθήνα', timeZone: 'Europe/Athens', postcode: grPostcode(10431, 11855) }, 60],
      [{ name: 'Θεσσαλονίκη', timeZone: 'Europe/Athens', postcode: grPostcode(54621, 56430) }, 30],
      [{ name: 'Πάτρα', timeZone: 'Europe/Athens', postcode: grPostcode(26221, 26504) }, 10],
    ],
    streets: ['Ερμού', 'Πανεπιστημίου', 'Αριστοτέλους', 'Βασιλίσσης Σοφίας', 'Εγνατία'],
    addressLine: (s, n) => `${s} ${n}`,
    mobile: (r) => `69${r.pick(['0', '3', '4', '5', '7', '8', '9'])}${r.digits(7)}`,
  },
];
