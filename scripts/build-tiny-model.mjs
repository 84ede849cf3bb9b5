#!/usr/bin/env node
/**
 * Builds `lekha-tiny`, a tiny BERT-style sentence model that
 * @huggingface/transformers loads from a local directory:
 *
 *   <out>/config.json            model_type "bert", hidden_size 32
 *   <out>/tokenizer.json         WordPiece over a ~520-token Latin/Cyrillic vocab
 *   <out>/tokenizer_config.json  transformers.js refuses a tokenizer without it
 *   <out>/onnx/model.onnx        opset 17 graph, written here as protobuf bytes
 *
 * Why: the machines that build and test Lekha cannot download model weights,
 * yet the tests of the transformers embedder must run the real path
 * (tokenizer, ONNX Runtime session, pooling). This model has random weights
 * and no attention: a token's vector is tanh((word + position + type) W),
 * masked by the attention mask. Texts that share tokens get close vectors,
 * which is all the tests rely on; it knows nothing about meaning.
 *
 * The script has no dependencies and is deterministic (seeded PRNG, fixed key
 * order), so running it twice gives byte-identical files. The fixture it
 * writes by default is committed; rebuild it with
 *
 *   node scripts/build-tiny-model.mjs [outDir]
 *
 * (default outDir: test/fixtures/models/lekha-tiny).
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const HIDDEN_SIZE = 32;
const MAX_POSITIONS = 128;
const TYPE_VOCAB_SIZE = 2;
const SEED = 0x1e4a;

const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];

const PUNCTUATION = [...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~«»—–…№'];
const DIGITS = [...'0123456789'];
const LATIN = [...'abcdefghijklmnopqrstuvwxyz'];
const CYRILLIC = [...'абвгдеёжзийклмнопрстуфхцчшщъыьэюя'];

const ENGLISH_WORDS = `
the a an and or but not no yes is are was were be been have has had do does did
will would can could should i you he she it we they me my your his her our their
this that these those what who why how when where which there here in on at to
of for with from by about as if so then than just all some any more most very too
also now today tomorrow yesterday time day night week year good bad new old big
small great like love know think see look want need go come get make take say
tell ask help work play game music movie book food coffee tea beer cat dog chat
group bot message thanks thank please hello hi bye ok okay lol weather rain sun
cold hot home city money friend people one two three first last again let meet
party weekend morning evening question answer
`;

const RUSSIAN_WORDS = `
и в не на я что он с как а то все она так его но да ты к у же вы за бы по только
ее мне было вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже
или ни быть был него до вас опять уж вам ведь там потом себя ничего ей может они
тут где есть надо ней для мы тебя их чем была сам чтоб без чего раз тоже себе под
будет тогда кто этот того потому этого какой совсем здесь этом один почти мой тем
чтобы сейчас были куда зачем всех никогда можно при наконец два об другой хоть
после над больше тот через эти нас про всего них какая много три эту моя хорошо
свою этой перед иногда лучше чуть том нельзя такой им всегда конечно между
привет пока спасибо пожалуйста сегодня завтра вчера время день ночь неделя год
погода дождь холодно тепло кот кошка собака кофе чай пиво игра музыка фильм книга
работа дом город деньги друг друзья люди бот чат группа сообщение вопрос ответ
думаю знаю хочу люблю можешь давай ладно круто классно встреча вечер утро
выходные дела новости
`;

/** Vocabulary in id order: specials, single characters, `##` continuations, whole words. */
function buildVocab() {
  const tokens = [...SPECIAL_TOKENS, ...PUNCTUATION, ...DIGITS, ...LATIN, ...CYRILLIC];
  for (const piece of [...DIGITS, ...LATIN, ...CYRILLIC]) tokens.push(`##${piece}`);
  for (const word of [...words(ENGLISH_WORDS), ...words(RUSSIAN_WORDS)]) tokens.push(word);
  const unique = [...new Set(tokens)];
  return unique;
}

function words(list) {
  return list.split(/\s+/).filter((word) => word.length > 1);
}

// --- deterministic weights ---------------------------------------------------

/** mulberry32: 32-bit state, `Math.imul` keeps every product exact. */
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform values in [-scale, scale), rounded to float32. */
function randomMatrix(random, length, scale) {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = (random() * 2 - 1) * scale;
  return values;
}

// --- protobuf ------------------------------------------------------------------

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

/** Collects one protobuf message; nested messages are written as bytes. */
class Message {
  constructor() {
    this.chunks = [];
  }

  varintField(field, value) {
    this.chunks.push(varint((field << 3) | WIRE_VARINT), varint(value));
    return this;
  }

  bytesField(field, bytes) {
    this.chunks.push(varint((field << 3) | WIRE_LENGTH_DELIMITED), varint(bytes.length), bytes);
    return this;
  }

  stringField(field, text) {
    return this.bytesField(field, Buffer.from(text, 'utf8'));
  }

  messageField(field, message) {
    return this.bytesField(field, message.toBytes());
  }

  toBytes() {
    return Buffer.concat(this.chunks);
  }
}

/** Non-negative integers only: every number this model writes is a size, a type tag or an axis >= 0. */
function varint(value) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`varint out of range: ${value}`);
  const bytes = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

// --- ONNX (onnx.proto field numbers) ---------------------------------------------

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ONNX_IR_VERSION = 8;
const OPSET = 17;

function floatTensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) raw.writeFloatLE(values[i], i * 4);
  return tensor(name, dims, FLOAT, raw);
}

function int64Tensor(name, dims, values) {
  const raw = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) raw.writeBigInt64LE(BigInt(values[i]), i * 8);
  return tensor(name, dims, INT64, raw);
}

function tensor(name, dims, dataType, raw) {
  const message = new Message();
  for (const dim of dims) message.varintField(1, dim);
  return message.varintField(2, dataType).stringField(8, name).bytesField(9, raw);
}

function node(opType, inputs, outputs, attributes = []) {
  const message = new Message();
  for (const input of inputs) message.stringField(1, input);
  for (const output of outputs) message.stringField(2, output);
  message.stringField(3, outputs[0]).stringField(4, opType);
  for (const attribute of attributes) message.messageField(5, attribute);
  return message;
}

function intAttribute(name, value) {
  return new Message().stringField(1, name).varintField(3, value).varintField(20, ATTRIBUTE_INT);
}

/** A tensor value with symbolic (`string`) or fixed (`number`) dimensions. */
function valueInfo(name, elemType, dims) {
  const shape = new Message();
  for (const dim of dims) {
    const dimension = typeof dim === 'number' ? new Message().varintField(1, dim) : new Message().stringField(2, dim);
    shape.messageField(1, dimension);
  }
  const tensorType = new Message().varintField(1, elemType).messageField(2, shape);
  const type = new Message().messageField(1, tensorType);
  return new Message().stringField(1, name).messageField(2, type);
}

function buildOnnx(vocabSize) {
  const random = mulberry32(SEED);
  const wordEmbeddings = randomMatrix(random, vocabSize * HIDDEN_SIZE, 1);
  // Every text has [CLS] and [SEP]; at full scale they would pull all mean-pooled
  // vectors towards one shared direction and make unrelated texts look alike.
  for (let i = 0; i < SPECIAL_TOKENS.length * HIDDEN_SIZE; i++) wordEmbeddings[i] *= 0.1;
  const positionEmbeddings = randomMatrix(random, MAX_POSITIONS * HIDDEN_SIZE, 0.1);
  const typeEmbeddings = randomMatrix(random, TYPE_VOCAB_SIZE * HIDDEN_SIZE, 0.1);
  const projection = randomMatrix(random, HIDDEN_SIZE * HIDDEN_SIZE, 1 / Math.sqrt(HIDDEN_SIZE));

  const initializers = [
    floatTensor('word_embeddings', [vocabSize, HIDDEN_SIZE], wordEmbeddings),
    floatTensor('position_embeddings', [MAX_POSITIONS, HIDDEN_SIZE], positionEmbeddings),
    floatTensor('token_type_embeddings', [TYPE_VOCAB_SIZE, HIDDEN_SIZE], typeEmbeddings),
    floatTensor('dense_weight', [HIDDEN_SIZE, HIDDEN_SIZE], projection),
    int64Tensor('zero', [], [0]),
    int64Tensor('one', [], [1]),
    int64Tensor('last_axis', [1], [2]),
  ];

  const nodes = [
    node('Gather', ['word_embeddings', 'input_ids'], ['words']),
    node('Shape', ['input_ids'], ['input_shape']),
    node('Gather', ['input_shape', 'one'], ['sequence_length']),
    node('Range', ['zero', 'sequence_length', 'one'], ['position_ids']),
    node('Gather', ['position_embeddings', 'position_ids'], ['positions']),
    node('Gather', ['token_type_embeddings', 'token_type_ids'], ['types']),
    node('Add', ['words', 'positions'], ['words_positions']),
    node('Add', ['words_positions', 'types'], ['embeddings']),
    node('MatMul', ['embeddings', 'dense_weight'], ['projected']),
    node('Tanh', ['projected'], ['hidden']),
    node('Cast', ['attention_mask'], ['mask_float'], [intAttribute('to', FLOAT)]),
    node('Unsqueeze', ['mask_float', 'last_axis'], ['mask']),
    node('Mul', ['hidden', 'mask'], ['last_hidden_state']),
  ];

  const graph = new Message();
  for (const graphNode of nodes) graph.messageField(1, graphNode);
  graph.stringField(2, 'lekha-tiny');
  for (const initializer of initializers) graph.messageField(5, initializer);
  for (const input of ['input_ids', 'attention_mask', 'token_type_ids']) {
    graph.messageField(11, valueInfo(input, INT64, ['batch_size', 'sequence_length']));
  }
  graph.messageField(12, valueInfo('last_hidden_state', FLOAT, ['batch_size', 'sequence_length', HIDDEN_SIZE]));

  return new Message()
    .varintField(1, ONNX_IR_VERSION)
    .stringField(2, 'lekha build-tiny-model')
    .stringField(3, '1')
    .messageField(7, graph)
    .messageField(8, new Message().stringField(1, '').varintField(2, OPSET))
    .toBytes();
}

// --- JSON files ------------------------------------------------------------------

function buildConfig(vocabSize) {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: vocabSize,
    hidden_size: HIDDEN_SIZE,
    num_hidden_layers: 1,
    num_attention_heads: 1,
    intermediate_size: HIDDEN_SIZE,
    hidden_act: 'tanh',
    max_position_embeddings: MAX_POSITIONS,
    type_vocab_size: TYPE_VOCAB_SIZE,
    pad_token_id: 0,
    layer_norm_eps: 1e-12,
  };
}

function buildTokenizer(vocab) {
  const ids = Object.fromEntries(vocab.map((token, id) => [token, id]));
  const special = (token) => ({ SpecialToken: { id: token, type_id: 0 } });
  const specialTypeOne = (token) => ({ SpecialToken: { id: token, type_id: 1 } });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((token) => ({
      id: ids[token],
      content: token,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    // strip_accents false: stripping would fold й into и and ё into е.
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: false,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [special('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, special('[SEP]')],
      pair: [
        special('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        special('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        specialTypeOne('[SEP]'),
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [ids['[CLS]']], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [ids['[SEP]']], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: ids,
    },
  };
}

function buildTokenizerConfig() {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    strip_accents: false,
    tokenize_chinese_chars: true,
    clean_up_tokenization_spaces: true,
    model_max_length: MAX_POSITIONS,
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    mask_token: '[MASK]',
  };
}

function json(value) {
  return `${JSON.stringify(value, null, 1)}\n`;
}

// --- main ------------------------------------------------------------------------------

export function buildTinyModel(outDir) {
  const vocab = buildVocab();
  const files = {
    'config.json': json(buildConfig(vocab.length)),
    'tokenizer.json': json(buildTokenizer(vocab)),
    'tokenizer_config.json': json(buildTokenizerConfig()),
    'onnx/model.onnx': buildOnnx(vocab.length),
  };
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return Object.keys(files);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const outDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'test/fixtures/models/lekha-tiny'));
  buildTinyModel(outDir);
  process.stdout.write(`wrote lekha-tiny to ${outDir}\n`);
}
